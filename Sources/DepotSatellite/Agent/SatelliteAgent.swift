public import DepotLink
import DepotModel
public import DepotReports
public import DepotWire
import Foundation
public import Logging
import NIOCore
public import ServiceLifecycle

/// The satellite daemon's core: listens for its controller and applies what it is told.
///
/// It accepts one controller: the first one that connects is remembered in the state directory, and
/// a different controller is refused (`OTHER_CONTROLLER`) so that two clusters never fight over a
/// node. The same controller reconnecting replaces its old connection.
public struct SatelliteAgent: Service {
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        public var stateDirectory: String
        public var hostname: String
        public var version: String
        /// The satellite's TLS identity: with it, the listener speaks only mutual TLS and accepts
        /// only controllers whose certificate the cluster CA signed; without it, plain TCP.
        public var tls: LinkTLS?
        /// Where the REST token the controller sends is written, for the node's own clients.
        public var restTokenFile: RESTTokenFile

        public init(
            host: String, port: Int, stateDirectory: String, hostname: String, version: String, tls: LinkTLS? = nil,
            restTokenFile: RESTTokenFile = RESTTokenFile()
        ) {
            self.host = host
            self.port = port
            self.stateDirectory = stateDirectory
            self.hostname = hostname
            self.version = version
            self.tls = tls
            self.restTokenFile = restTokenFile
        }
    }

    let configuration: Configuration
    let reconciler: Reconciler
    let probe: CapabilityProbe
    /// Reads the DRBD kernel state on nodes with the DRBD layer; its changes are reported at once.
    let drbdMonitor: DRBDEventMonitor?
    /// Writes the error reports of failures before they are reported, and answers the controller's
    /// questions about them.
    let failureReports: FailureReports
    /// The process's log level, which `node set-log-level` changes.
    let logLevel: RuntimeLogLevel
    /// The node's part of SOS reports.
    let sosInventory: SosInventory
    let physicalStorage: PhysicalStorage
    let logger: Logger
    let onListening: @Sendable (Int) async -> Void
    /// Desired states from whichever session delivered them, applied one at a time.
    private let queue = DesiredStateQueue()
    /// Reports of finished applies, for the session connected now.
    private let board = ReportBoard()
    private let presence = ControllerPresence()
    /// The highest fencing token a controller showed: deposed controllers are refused.
    private let fencing: FencingGate
    /// How long the node may be without a controller before it resumes I/O held for a snapshot.
    static let heldIOLimit: Duration = .seconds(15)

    public init(
        configuration: Configuration, reconciler: Reconciler, probe: CapabilityProbe, drbdMonitor: DRBDEventMonitor? = nil,
        failureReports: FailureReports, logLevel: RuntimeLogLevel, sosInventory: SosInventory, physicalStorage: PhysicalStorage, logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.reconciler = reconciler
        self.probe = probe
        self.drbdMonitor = drbdMonitor
        self.failureReports = failureReports
        self.logLevel = logLevel
        self.sosInventory = sosInventory
        self.physicalStorage = physicalStorage
        self.logger = logger
        self.onListening = onListening
        self.fencing = FencingGate(directory: configuration.stateDirectory)
    }

    /// How often the DRBD state is checked for changes to report.
    static let drbdReportInterval: Duration = .milliseconds(200)
    /// How often a running apply tells the controller how far it got.
    static let progressInterval: Duration = .seconds(1)

    public func run() async throws {
        let tls = self.configuration.tls
        let server = try await Link.listen(host: self.configuration.host, port: self.configuration.port, tls: tls)
        await self.onListening(server.channel.localAddress?.port ?? self.configuration.port)
        self.logger.info(
            "depot-satellite \(self.configuration.version) listening",
            metadata: [
                "address": "\(self.configuration.host)", "port": "\(server.channel.localAddress?.port ?? 0)", "hostname": "\(self.configuration.hostname)",
                "encryption": "\(tls == nil ? "PLAIN" : "SSL (mutual TLS)")",
                "certificate": "\(tls.map { "\($0.files.certificate) (CN=\($0.commonName))" } ?? "none")",
            ])
        // On shutdown the listener and every controller connection are cancelled; the node keeps its
        // volumes and the next satellite converges from the controller's next desired state.
        do {
            try await withThrowingDiscardingTaskGroup { group in
                if let monitor = self.drbdMonitor {
                    group.addTask { await cancelWhenGracefulShutdown { await monitor.run() } }
                }
                group.addTask { await cancelWhenGracefulShutdown { await self.applyDesiredStates() } }
                group.addTask { await cancelWhenGracefulShutdown { await self.releaseHeldIOWithoutController() } }
                group.addTask { try await self.serveConnections(server) }
            }
        } catch is CancellationError {
            self.logger.debug("listener cancelled for shutdown")
        }
    }

    /// The node's one apply loop: the newest desired state, applied, its report published.
    private func applyDesiredStates() async {
        await self.queue.drain { desired, fullPass in
            let started = ContinuousClock.now
            let report = await self.reconciler.apply(desired, fullPass: fullPass)
            self.logger.debug(
                "desired state applied", metadata: ["version": "\(desired.version)", "fullPass": "\(fullPass)", "duration": "\(ContinuousClock.now - started)"])
            self.board.publish(self.failureReports.annotate(report))
        }
    }

    /// Resumes I/O held for a snapshot once no controller has been connected for ``heldIOLimit``
    /// (one that crashed mid-snapshot, a satellite restarted without one). Nothing asks for the
    /// hold again: a controller that sees the node again has aborted that snapshot.
    private func releaseHeldIOWithoutController() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(5))
            guard let absence = self.presence.absence, absence >= Self.heldIOLimit else { continue }
            await self.reconciler.releaseHeldIO()
        }
    }

    private func serveConnections(_ server: NIOAsyncChannel<LinkChannel, Never>) async throws {
        try await cancelWhenGracefulShutdown {
            try await server.executeThenClose { connections in
                // Discarding: connections end on their own and nothing collects their results.
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in connections {
                        group.addTask {
                            do {
                                try await self.serve(connection)
                            } catch {
                                self.logger.info("controller connection ended", metadata: ["reason": "\(error)"])
                            }
                        }
                    }
                }
            }
        }
    }

    /// One controller connection: handshake, then desired states in and reports out.
    private func serve(_ connection: LinkChannel) async throws {
        try await connection.executeThenClose { inbound, outbound in
            var frames = inbound.makeAsyncIterator()
            var session = ControllerSessionStateMachine(hostname: self.configuration.hostname, controllerIDPath: self.controllerIDPath)
            guard let first = try await frames.next() else { throw LinkError.unexpected("expected hello") }
            let hello: Hello
            switch session.opened(with: try SatelliteMessage(frame: first), knownController: self.knownController()) {
            case .welcome(let message, let rememberController):
                guard self.fencing.admit(message.fencingToken) else {
                    let refusal = Refusal(
                        reason: .otherController,
                        message:
                            "Controller with fencing token \(message.fencingToken ?? 0) was deposed: this node follows the controller with token \(self.fencing.highestToken).")
                    try await outbound.send(.refusal(refusal))
                    throw LinkError.refused(refusal)
                }
                hello = message
                if let rememberController { self.remember(rememberController) }
            case .refuse(let refusal):
                try await outbound.send(.refusal(refusal))
                throw LinkError.refused(refusal)
            case .close(let error):
                throw error
            }
            let capabilities = await self.probe.probe()
            try await outbound.send(
                .welcome(Welcome(satelliteVersion: self.configuration.version, hostname: self.configuration.hostname, capabilities: capabilities.wire)))
            self.logger.info("controller connected", metadata: ["controller": "\(hello.controllerID)", "node": "\(hello.nodeName)"])
            self.presence.connected()
            defer { self.presence.disconnected() }
            // Subscribed before the first desired state can arrive, so its report is not missed.
            let applied = self.board.subscribe()
            // Reports of applies and of DRBD's changes leave through one sender, in order: each is
            // sent as a change to the one before it in this session. None is dropped: a DRBD report
            // of the previous version must not displace the report that answers the newest one.
            let (reports, reportSink) = AsyncStream.makeStream(of: NodeReport.self)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await report in applied { reportSink.yield(report) }
                }
                group.addTask { try await Self.send(reports, to: outbound) }
                group.addTask { try await self.reportWhileIdleOrBusy(outbound, reports: reportSink) }
                // Frames are read while an apply runs: pings get their pongs, and a newer desired
                // state replaces the one still waiting.
                while let frame = try await frames.next() {
                    let action = session.received(try SatelliteMessage(frame: frame))
                    // A controller that took over since this one said hello deposed it: no more orders.
                    guard self.fencing.isCurrent(hello.fencingToken) else {
                        throw LinkError.unexpected("a controller with a newer fencing token (\(self.fencing.highestToken)) took over")
                    }
                    switch action {
                    case .apply(let desired, let fullPass): self.queue.submit(desired, fullPass: fullPass)
                    case .send(let message): try await outbound.send(message)
                    // Answered beside the frame loop: an SOS inventory runs commands for seconds, and
                    // pings must keep getting their pongs meanwhile or the controller drops the link.
                    case .answer(let query): group.addTask { try await outbound.send(.answer(await self.answer(query))) }
                    case .ignore: break
                    case .close(let error): throw error
                    }
                }
                // The connection ended; the reporters go with it.
                group.cancelAll()
            }
        }
    }

    /// Sends the session's first report whole and each later one as what changed since the one
    /// before; a report that changes nothing is not sent.
    private static func send(_ reports: AsyncStream<NodeReport>, to outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws {
        var previous: NodeReport?
        for await report in reports {
            if let previous {
                let change = NodeReportChange(from: previous, to: report)
                guard !change.isEmpty(comparedTo: previous) else { continue }
                try await outbound.send(.reportChange(change))
            } else {
                try await outbound.send(.report(report))
            }
            previous = report
        }
    }

    /// Hands a fresh report to the sender whenever DRBD's state changed (a sync progressed, a peer
    /// disconnected), also while an apply runs: an apply may take half a minute on a real kernel, and
    /// a list must not show a resync that ended long ago. During an apply it also says how far it got
    /// about once a second.
    private func reportWhileIdleOrBusy(
        _ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, reports: AsyncStream<NodeReport>.Continuation
    ) async throws {
        var reported = await self.drbdMonitor?.version
        var lastProgress = ContinuousClock.now
        while true {
            try await Task.sleep(for: Self.drbdReportInterval)
            if let progress = await self.reconciler.progress() {
                if ContinuousClock.now - lastProgress >= Self.progressInterval {
                    try await outbound.send(.progress(progress))
                    lastProgress = .now
                }
            }
            guard let monitor = self.drbdMonitor else { continue }
            let version = await monitor.version
            guard version != reported, let report = await self.reconciler.currentReport() else { continue }
            reported = version
            reports.yield(self.failureReports.annotate(report))
        }
    }

    /// Lists or deletes this node's error reports, changes its log level, collects its part of an
    /// SOS report, writes the REST token for the node's clients, lists the unused disks or makes a
    /// device pool on some, for the controller.
    private func answer(_ query: SatelliteQuery) async -> SatelliteAnswer {
        let reporter = self.failureReports.reporter
        switch query.action {
        case .listErrorReports:
            let (reports, total) = reporter.list(query.filter, withContent: query.withContent, limit: query.limit)
            return SatelliteAnswer(requestID: query.requestID, reports: reports, total: total)
        case .deleteErrorReports:
            return SatelliteAnswer(requestID: query.requestID, deleted: reporter.delete(query.filter))
        case .setLogLevel:
            guard let level = query.logLevel.flatMap(RuntimeLogLevel.parse) else {
                return SatelliteAnswer(requestID: query.requestID, failure: "Unknown log level '\(query.logLevel ?? "")'.")
            }
            self.logLevel.set(level)
            self.logger.notice("log level changed", metadata: ["level": "\(level)"])
            return SatelliteAnswer(requestID: query.requestID)
        case .sosReport:
            return SatelliteAnswer(requestID: query.requestID, files: await self.sosInventory.collect(since: query.filter.since))
        case .applyRESTToken:
            guard let token = query.restToken, !token.isEmpty else {
                return SatelliteAnswer(requestID: query.requestID, failure: "The controller sent no token.")
            }
            do {
                try self.configuration.restTokenFile.write(token)
            } catch {
                self.logger.error("cannot write the REST token file", metadata: ["reason": "\(error)"])
                return SatelliteAnswer(requestID: query.requestID, failure: error.description)
            }
            self.logger.info("REST token for local clients written", metadata: ["file": "\(self.configuration.restTokenFile.path)"])
            return SatelliteAnswer(requestID: query.requestID)
        case .listPhysicalStorage:
            do {
                return SatelliteAnswer(requestID: query.requestID, devices: try await self.physicalStorage.unusedDisks())
            } catch {
                return SatelliteAnswer(requestID: query.requestID, failure: error.description)
            }
        case .createDevicePool:
            guard let order = query.devicePool else {
                return SatelliteAnswer(requestID: query.requestID, failure: "The controller sent no device pool.")
            }
            let (steps, failure) = await self.physicalStorage.createPool(order)
            if let failure {
                self.logger.error("device pool not created", metadata: ["pool": "\(order.volumeGroup)", "reason": "\(failure)"])
            } else {
                self.logger.notice("device pool created", metadata: ["pool": "\(order.volumeGroup)", "devices": "\(order.devices)"])
            }
            return SatelliteAnswer(requestID: query.requestID, failure: failure, steps: steps)
        }
    }

    private var controllerIDPath: String { self.configuration.stateDirectory + "/controller-id" }

    /// The controller this node belongs to, if one connected before.
    private func knownController() -> String? {
        let known = (try? String(contentsOfFile: self.controllerIDPath, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        return known?.isEmpty == false ? known : nil
    }

    /// Makes the node belong to `controllerID` from now on.
    private func remember(_ controllerID: String) {
        try? FileManager.default.createDirectory(atPath: self.configuration.stateDirectory, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: self.controllerIDPath, contents: Data((controllerID + "\n").utf8))
    }
}

extension NodeCapabilities {
    /// The wire form, with LINSTOR's enum spellings.
    var wire: NodeCapabilitiesDTO {
        NodeCapabilitiesDTO(
            storageProviders: self.storageProviders.map(\.rawValue),
            resourceLayers: self.resourceLayers.map(\.rawValue),
            unsupportedProviders: Dictionary(uniqueKeysWithValues: self.unsupportedProviders.map { ($0.key.rawValue, $0.value) }),
            unsupportedLayers: Dictionary(uniqueKeysWithValues: self.unsupportedLayers.map { ($0.key.rawValue, $0.value) }))
    }
}
