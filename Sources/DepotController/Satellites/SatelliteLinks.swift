import DepotLink
import DepotModel
import DepotWire
import HashTreeCollections
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// The controller's connections to its satellites: one supervised link per satellite node.
///
/// Each link dials the node's active interface, introduces the controller, then keeps the satellite
/// told of its node's whole desired state and listens to its reports. A link that fails is retried
/// with backoff; the node shows OFFLINE (or why the satellite refused) meanwhile.
final class SatelliteLinks: SatelliteConnections, Service {
    private let publisher: SnapshotPublisher
    private let logger: Logger
    /// The controller's identity for nodes whose interface is SSL; `nil` when none is configured.
    private let tls: LinkTLS?
    private let links = Mutex<[ObjectKey: LinkState]>([:])
    /// How long a connected satellite may stay silent before the link is dropped.
    let silenceLimit: Duration = .seconds(6)
    let pingInterval: Duration = .seconds(2)
    /// The desired state is re-sent this often even when unchanged: the satellite re-checks the node,
    /// retries what failed and reports fresh capacities.
    let refreshInterval: Duration = .seconds(30)

    /// What the controller currently knows of one node's satellite.
    struct LinkState: Sendable {
        var endpoint: SatelliteEndpoint
        var status: ConnectionStatus = .offline
        var welcome: Welcome?
        var report: NodeReport?
        var lastError: String?
        /// What the satellite said about the apply it is running, until its report comes.
        var progress: ApplyProgress?
        /// The newest published version this satellite has acted on (or had nothing to do for).
        var handledVersion: UInt64 = 0
        /// The version of the desired state last sent, and the newest published version whose
        /// desired state for this node is the same: a report for the former covers the latter.
        var sentVersion: UInt64 = 0
        var coveredVersion: UInt64 = 0

        /// A report arrived: it answers for every version up to what its desired state covers.
        ///
        /// A report of a version this controller never sent (a satellite that kept running across a
        /// controller restart, whose versions started again) answers nothing, and a report of an
        /// older state never replaces one of a newer.
        mutating func received(_ report: NodeReport) -> Bool {
            guard report.appliedVersion <= self.sentVersion else { return false }
            if let current = self.report, current.appliedVersion <= self.sentVersion, current.appliedVersion > report.appliedVersion { return false }
            self.report = report
            if let progress = self.progress, progress.version <= report.appliedVersion { self.progress = nil }
            let answered = report.appliedVersion == self.sentVersion ? max(report.appliedVersion, self.coveredVersion) : report.appliedVersion
            self.handledVersion = max(self.handledVersion, answered)
            return true
        }

        /// A new version left this node's desired state as it was sent: handled as soon as that was.
        mutating func unchanged(at version: UInt64) {
            self.coveredVersion = max(self.coveredVersion, version)
            if self.report?.appliedVersion == self.sentVersion {
                self.handledVersion = max(self.handledVersion, version)
            }
        }
        /// Raised by ``reconnect(_:)``; a session that sees it change ends.
        var generation = 0
    }

    func reconnect(_ node: ObjectKey) {
        self.links.withLock { links in links[node]?.generation += 1 }
    }

    /// How long a REST call waits for satellites before answering with a warning.
    let resultTimeout: Duration = .seconds(15)

    /// Every report as it arrives, for the cluster state to show in resource lists.
    let reports: AsyncStream<ReceivedReport>
    private let reportSink: AsyncStream<ReceivedReport>.Continuation

    /// One satellite report and the node it came from; no report: the node's link went down, and
    /// what it reported before no longer holds.
    struct ReceivedReport: Sendable {
        let node: ObjectKey
        let report: NodeReport?
    }

    init(publisher: SnapshotPublisher, logger: Logger, tls: LinkTLS? = nil) {
        self.publisher = publisher
        self.logger = logger
        self.tls = tls
        (self.reports, self.reportSink) = AsyncStream.makeStream(of: ReceivedReport.self, bufferingPolicy: .bufferingNewest(4096))
    }

    /// The cluster's identity (`Cluster/LocalID`), by which a satellite knows its controller.
    private var controllerID: String { self.publisher.snapshot.model.controllerProps["Cluster/LocalID"] ?? "" }

    func status(of node: ObjectKey) -> ConnectionStatus {
        self.links.withLock { $0[node]?.status ?? .offline }
    }

    func capabilities(of node: ObjectKey) -> NodeCapabilitiesDTO? {
        self.links.withLock { $0[node]?.welcome?.capabilities }
    }

    func hostname(of node: ObjectKey) -> String? {
        self.links.withLock { $0[node]?.welcome?.hostname }
    }

    func poolReport(node: ObjectKey, pool: ObjectKey) -> StoragePoolReport? {
        self.links.withLock { $0[node]?.report?.storagePools.first { ObjectKey($0.name) == pool } }
    }

    func results(nodes: Set<ObjectKey>, resources: [ResourceKey: String], version: UInt64) async -> [Reply] {
        var replies: [Reply] = []
        for node in nodes.sorted() {
            let name = self.publisher.snapshot.model.nodes[node]?.name ?? node.rawValue
            switch await self.report(of: node, handling: version) {
            case .reported(let report):
                replies += Self.replies(for: resources.filter { $0.key.node == node }, from: report, in: self.publisher.snapshot.model)
            case .linkLost(let reason):
                replies.append(
                    Reply(
                        .warnNotConnected, "The link to satellite '\(name)' dropped before it reported the change.",
                        cause: reason.map { "The link failed: \($0)" },
                        details: "The change is stored; the satellite gets it when the link is back. 'node list' shows the link, 'resource list' when the change is done.",
                        objectReferences: ["Node": name]))
            case .stillApplying(let progress):
                replies.append(
                    Reply(
                        .warnNotConnected, "Satellite '\(name)' is still applying the change after \(self.resultTimeout).",
                        cause: progress.map { "It is working on \($0.summary)." } ?? "It is working on an earlier change first.",
                        details: "The change is stored and the link is up; 'resource list' shows when it is done.",
                        objectReferences: ["Node": name]))
            }
        }
        return replies
    }

    /// How waiting for a satellite's report ended.
    enum ReportOutcome {
        case reported(NodeReport)
        /// The link dropped (or never came up); its last error, when known.
        case linkLost(String?)
        /// The link is up and the satellite busy, with what it last said of its progress.
        case stillApplying(ApplyProgress?)
    }

    /// Polls (every 20 ms, bounded by ``resultTimeout``) until the node handled `version`.
    private func report(of node: ObjectKey, handling version: UInt64) async -> ReportOutcome {
        let deadline = ContinuousClock.now + self.resultTimeout
        while !Task.isCancelled {
            let (handled, online, state) = self.links.withLock { links in
                (links[node]?.handledVersion ?? 0, links[node]?.status == .online, links[node])
            }
            if handled >= version, let report = state?.report { return .reported(report) }
            if !online { return .linkLost(state?.lastError) }
            if ContinuousClock.now >= deadline { return .stillApplying(state?.progress) }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return .stillApplying(nil)
    }

    /// One reply per resource: what the satellite reported for it, failures with their command.
    static func replies(for resources: [ResourceKey: String], from report: NodeReport, in model: ClusterModel) -> [Reply] {
        resources.keys.sorted().map { key in
            let nodeName = model.nodes[key.node]?.name ?? key.node.rawValue
            let resourceName = resources[key] ?? key.resource.rawValue
            let references = ["Node": nodeName, "RscDfn": resourceName]
            let observed = report.resources.first { ObjectKey($0.name) == key.resource }
            let deleting = model.resources[key].map { $0.flags.contains(ResourceFlag.delete) } ?? true
            if deleting, let failure = observed?.failure {
                return Reply(
                    .failInUse, "(Node: '\(nodeName)') Resource '\(resourceName)' could not be removed: \(failure.message)",
                    cause: failure.commandLine.map { "The command failed: \($0)" },
                    correction: "Stop what uses the volume (unmount it, close it); the satellite retries and the resource goes then.",
                    details: failure.stderrTail, objectReferences: references)
            }
            guard !deleting else {
                return Reply(.deleted, "Resource '\(resourceName)' removed from node '\(nodeName)'.", objectReferences: references)
            }
            if let failure = observed?.failure {
                let details = [
                    failure.commandLine.map { "Command: \($0)" }, failure.exitCode.map { "Exit code: \($0)" },
                    failure.stderrTail.map { "Standard error:\n\($0)" },
                ].compactMap { $0 }.joined(separator: "\n")
                return Reply(
                    .failUnknownError, "(Node: '\(nodeName)') Failed to apply resource '\(resourceName)': \(failure.message)",
                    cause: failure.commandLine.map { "The command failed: \($0)" }, correction: "Fix the cause on the node; the satellite retries on the next change.",
                    details: details.isEmpty ? nil : details, objectReferences: references)
            }
            return Reply(.created, "Resource '\(resourceName)' is ready on node '\(nodeName)'.", objectReferences: references)
        }
    }

    /// Starts a link for every satellite node and restarts it when the node's endpoint changes.
    func run() async throws {
        // Links hold no state worth finishing: on shutdown they are simply cancelled.
        try await cancelWhenGracefulShutdown {
            await self.superviseLinks()
        }
    }

    private func superviseLinks() async {
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                let snapshot = self.publisher.snapshot
                for node in snapshot.model.nodes.values {
                    guard let endpoint = SatelliteEndpoint(node) else { continue }
                    let isNew = self.links.withLock { links -> Bool in
                        if links[node.key]?.endpoint == endpoint { return false }
                        links[node.key] = LinkState(endpoint: endpoint)
                        return true
                    }
                    if isNew {
                        group.addTask { await self.maintain(node.key, endpoint) }
                    }
                }
                await self.publisher.waitForChange(after: snapshot.version)
            }
            group.cancelAll()
        }
    }

    /// Keeps one node's link up until the node goes away or its endpoint changes.
    private func maintain(_ key: ObjectKey, _ endpoint: SatelliteEndpoint) async {
        var backoff: Duration = .milliseconds(500)
        while !Task.isCancelled, self.isCurrent(key, endpoint) {
            do {
                try await self.session(key, endpoint)
                backoff = .milliseconds(500)
            } catch {
                let tlsError = error as? LinkTLSError
                var isNewReason = false
                var wasOnline = false
                self.update(key, endpoint) { state in
                    wasOnline = state.status == .online
                    state.progress = nil
                    if tlsError?.isAuthenticationFailure == true {
                        // A certificate one side does not trust: LINSTOR's AUTHENTICATION_ERROR.
                        state.status = .authenticationError
                    } else if state.status == .online || state.status == .connected {
                        state.status = .offline
                    }
                    isNewReason = state.lastError != String(describing: error)
                    state.lastError = String(describing: error)
                }
                // Other TLS failures (no TLS settings, a peer without TLS) leave the node OFFLINE but
                // need the operator: logged as warnings once per distinct reason, not every retry.
                if let tlsError, !tlsError.isAuthenticationFailure, isNewReason {
                    self.logger.warning("satellite link cannot use TLS", metadata: ["node": "\(key)", "endpoint": "\(endpoint)", "reason": "\(tlsError)"])
                }
                self.reportSink.yield(ReceivedReport(node: key, report: nil))
                if self.status(of: key) != .offline {
                    self.logger.warning("satellite refused", metadata: ["node": "\(key)", "status": "\(self.status(of: key).rawValue)", "reason": "\(error)"])
                }
                if wasOnline {
                    // Every drop of a working link is logged with its reason; retries of a link that
                    // is down stay at debug level.
                    self.logger.warning("satellite link dropped", metadata: ["node": "\(key)", "endpoint": "\(endpoint)", "reason": "\(error)"])
                } else {
                    self.logger.debug("satellite link down", metadata: ["node": "\(key)", "endpoint": "\(endpoint)", "error": "\(error)"])
                }
            }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(10))
        }
        self.links.withLock { links in
            if links[key]?.endpoint == endpoint, !self.isCurrentLocked(key, endpoint) { links[key] = nil }
        }
    }

    private func isCurrent(_ key: ObjectKey, _ endpoint: SatelliteEndpoint) -> Bool {
        self.isCurrentLocked(key, endpoint)
    }

    private func isCurrentLocked(_ key: ObjectKey, _ endpoint: SatelliteEndpoint) -> Bool {
        self.publisher.snapshot.model.nodes[key].flatMap(SatelliteEndpoint.init) == endpoint
    }

    private func update(_ key: ObjectKey, _ endpoint: SatelliteEndpoint, _ change: (inout LinkState) -> Void) {
        self.links.withLock { links in
            guard var state = links[key], state.endpoint == endpoint else { return }
            change(&state)
            links[key] = state
        }
    }

    /// One connection: handshake, then desired state out and reports in until something fails.
    private func session(_ key: ObjectKey, _ endpoint: SatelliteEndpoint) async throws {
        let channel = try await self.connect(endpoint)
        try await channel.executeThenClose { inbound, outbound in
            var frames = inbound.makeAsyncIterator()
            let nodeName = self.publisher.snapshot.model.nodes[key]?.name ?? key.rawValue
            do {
                try await outbound.send(.hello(Hello(controllerID: self.controllerID, nodeName: nodeName)))
            } catch {
                // A satellite that rejects our TLS certificate may close the channel before this write
                // lands; the reason (a LinkTLSError) then waits in the inbound stream.
                _ = try await frames.next()
                throw error
            }
            guard let first = try await frames.next() else { throw LinkError.closed }
            switch try SatelliteMessage(frame: first) {
            case .welcome(let welcome):
                guard welcome.protocolVersion == SatelliteProtocol.version else {
                    self.update(key, endpoint) { $0.status = .versionMismatch }
                    throw LinkError.unexpected("protocol version \(welcome.protocolVersion), expected \(SatelliteProtocol.version)")
                }
                // Two nodes answering as the same host would get each other's DRBD configuration.
                let clash = self.links.withLock { links in
                    links.first { $0.key != key && $0.value.status == .online && $0.value.welcome?.hostname == welcome.hostname }?.key
                }
                if let clash {
                    self.update(key, endpoint) { state in
                        state.status = .duplicateUname
                        state.lastError = "node \(clash) already answers as host '\(welcome.hostname)'"
                    }
                    throw LinkError.unexpected("satellite hostname '\(welcome.hostname)' is already used by node \(clash)")
                }
                self.update(key, endpoint) { state in
                    state.status = .online
                    state.welcome = welcome
                    state.lastError = nil
                }
                self.logger.info("satellite online", metadata: ["node": "\(nodeName)", "endpoint": "\(endpoint)", "hostname": "\(welcome.hostname)"])
            case .refusal(let refusal):
                self.update(key, endpoint) { state in
                    state.status = refusal.reason == .versionMismatch ? .versionMismatch : (refusal.reason == .otherController ? .otherController : .authenticationError)
                    state.lastError = refusal.message
                }
                throw LinkError.refused(refusal)
            default:
                throw LinkError.unexpected("expected welcome")
            }
            let lastHeard = Liveness()
            let reader = FrameReader(frames)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    while let frame = try await reader.next() {
                        lastHeard.touch()
                        switch try SatelliteMessage(frame: frame) {
                        case .report(let report):
                            var accepted = false
                            self.update(key, endpoint) { accepted = $0.received(report) }
                            if accepted { self.reportSink.yield(ReceivedReport(node: key, report: report)) }
                        case .progress(let progress):
                            self.update(key, endpoint) { $0.progress = progress }
                        case .pong: break
                        case .ping(let token): try await outbound.send(.pong(token))
                        default: throw LinkError.unexpected("controller-bound message expected")
                        }
                    }
                    throw LinkError.closed
                }
                group.addTask {
                    try await self.sendDesiredStates(key, endpoint, outbound, lastHeard)
                }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    /// Dials the satellite as its interface says: plain TCP, or mutual TLS for `SSL`.
    ///
    /// An SSL node without controller TLS settings fails here with an error naming the missing
    /// settings, instead of falling back to plain TCP, which the satellite's TLS port would refuse.
    private func connect(_ endpoint: SatelliteEndpoint) async throws -> LinkChannel {
        switch endpoint.encryption {
        case .plain:
            return try await Link.connect(host: endpoint.host, port: endpoint.port)
        case .ssl:
            guard let tls = self.tls else {
                throw LinkTLSError(
                    .notConfigured,
                    "The node's interface \(endpoint) uses encryption type SSL, but the controller has no TLS settings: "
                        + "start it with --satellite-tls-certificate, --satellite-tls-key and --satellite-tls-ca "
                        + "(or satellite_tls_* in its TOML file), or set the interface's encryption type to PLAIN.")
            }
            return try await Link.connect(host: endpoint.host, port: endpoint.port, tls: tls)
        }
    }

    /// Sends the node's desired state whenever it changes, and pings while nothing changes.
    private func sendDesiredStates(
        _ key: ObjectKey, _ endpoint: SatelliteEndpoint, _ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, _ lastHeard: Liveness
    ) async throws {
        var lastSent: DesiredNodeState?
        var lastSentAt = ContinuousClock.now
        let generation = self.links.withLock { $0[key]?.generation ?? 0 }
        var ping: UInt64 = 0
        while true {
            let snapshot = self.publisher.snapshot
            guard self.isCurrent(key, endpoint) else { throw LinkError.closed }
            guard self.links.withLock({ $0[key]?.generation ?? 0 }) == generation else {
                throw LinkError.unexpected("reconnect requested")
            }
            if var desired = DesiredStateBuilder.state(for: key, in: snapshot, hostname: { self.hostname(of: $0) }) {
                let unchanged = lastSent.map { previous in
                    desired.version = previous.version
                    return previous == desired
                } ?? false
                desired.version = snapshot.version
                if !unchanged || ContinuousClock.now - lastSentAt >= self.refreshInterval {
                    self.update(key, endpoint) { state in
                        state.sentVersion = desired.version
                        state.coveredVersion = desired.version
                    }
                    try await outbound.send(.desiredState(desired))
                    lastSent = desired
                    lastSentAt = .now
                } else {
                    self.update(key, endpoint) { $0.unchanged(at: snapshot.version) }
                }
            }
            guard lastHeard.silence < self.silenceLimit else {
                throw LinkError.timedOut("the satellite (silent for more than \(self.silenceLimit))")
            }
            ping += 1
            try await outbound.send(.ping(ping))
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.publisher.waitForChange(after: snapshot.version) }
                group.addTask { try? await Task.sleep(for: self.pingInterval) }
                await group.next()
                group.cancelAll()
            }
            try Task.checkCancellation()
        }
    }
}

/// When a peer was last heard from; a link that stays silent too long is dropped.
final class Liveness: Sendable {
    private let lastHeard = Mutex(ContinuousClock.now)

    func touch() { self.lastHeard.withLock { $0 = .now } }

    var silence: Duration { ContinuousClock.now - self.lastHeard.withLock { $0 } }
}

/// Hands a link's frame iterator from the handshake to the receiving task.
///
/// `@unchecked Sendable` is safe here: after the handshake the iterator is used by exactly one task,
/// the receiver, and never concurrently.
final class FrameReader: @unchecked Sendable {
    private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator

    init(_ iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) {
        self.iterator = iterator
    }

    func next() async throws -> ByteBuffer? {
        try await self.iterator.next()
    }
}
