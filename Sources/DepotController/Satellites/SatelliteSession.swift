import DepotLink
import DepotModel
import DepotWire
import HashTreeCollections
import Logging
import Metrics
import NIOCore
import Synchronization

/// One connection to a satellite, from hello to the first failure.
///
/// The handshake introduces the controller and learns whether the satellite takes it; then two tasks
/// share the channel: one sends the node's desired state whenever it changes (and pings while it
/// does not), the other takes the satellite's reports, progress and pings. Every event goes to the
/// node's ``SatelliteLinkStateMachine`` in ``SatelliteLinkTable``; the session itself decides nothing
/// but when to send.
struct SatelliteSession: Sendable {
    let node: ObjectKey
    let endpoint: SatelliteEndpoint
    let table: SatelliteLinkTable
    let publisher: SnapshotPublisher
    /// Where accepted reports go, for the cluster state to show in resource lists.
    let reports: AsyncStream<SatelliteLinks.ReceivedReport>.Continuation
    let logger: Logger
    /// Sent in the hello: the lease's fencing token, nil for a lone controller.
    let fencingToken: Int64?

    /// How long a connected satellite may stay silent before the link is dropped.
    static let silenceLimit: Duration = .seconds(6)
    static let pingInterval: Duration = .seconds(2)
    /// The desired state is re-sent this often even when unchanged: the satellite re-checks the node,
    /// retries what failed and reports fresh capacities.
    static let refreshInterval: Duration = .seconds(30)

    /// Runs the session on a freshly connected channel until something fails; it always ends by throwing.
    func run(on channel: LinkChannel) async throws {
        try await channel.executeThenClose { inbound, outbound in
            var frames = inbound.makeAsyncIterator()
            try await self.handshake(&frames, outbound)
            let session = self.table.questions.open(self.node) { try await outbound.send($0) }
            defer { self.table.questions.close(self.node, session: session) }
            let lastHeard = Liveness()
            let reader = FrameReader(frames)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.receive(from: reader, answering: outbound, lastHeard) }
                group.addTask { try await self.sendDesiredStates(outbound, lastHeard) }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    /// Says hello and waits for the satellite's welcome or refusal.
    private func handshake(
        _ frames: inout NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator, _ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) async throws {
        let nodeName = self.publisher.snapshot.model.nodes[self.node]?.name ?? self.node.rawValue
        // The cluster's identity (`Cluster/LocalID`), by which a satellite knows its controller.
        let controllerID = self.publisher.snapshot.model.controllerProps["Cluster/LocalID"] ?? ""
        do {
            try await outbound.send(.hello(Hello(controllerID: controllerID, nodeName: nodeName, fencingToken: self.fencingToken)))
        } catch {
            // A satellite that rejects our TLS certificate may close the channel before this write
            // lands; the reason (a LinkTLSError) then waits in the inbound stream.
            _ = try await frames.next()
            throw error
        }
        guard let first = try await frames.next() else { throw LinkError.closed }
        let action: SatelliteLinkStateMachine.HandshakeAction?
        switch try SatelliteMessage(frame: first) {
        case .welcome(let welcome):
            action = self.table.welcomed(self.node, at: self.endpoint, welcome)
            if action == .proceed {
                self.logger.info(
                    "satellite online", metadata: ["node": "\(nodeName)", "endpoint": "\(self.endpoint)", "hostname": "\(welcome.hostname)"])
            }
        case .refusal(let refusal):
            action = self.table.update(self.node, at: self.endpoint) { $0.refused(refusal) }
        default:
            throw LinkError.unexpected("expected welcome")
        }
        switch action {
        case .proceed: return
        case .close(let error): throw error
        // The node moved to another endpoint meanwhile: this session has no one to serve.
        case nil: throw LinkError.closed
        }
    }

    /// Takes the satellite's messages until the channel closes.
    private func receive(
        from reader: FrameReader, answering outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, _ lastHeard: Liveness
    ) async throws {
        // The satellite sends its first report of a session whole, then what changed.
        var sessionReport: NodeReport?
        while let frame = try await reader.next() {
            lastHeard.touch()
            switch try SatelliteMessage(frame: frame) {
            case .report(let report):
                sessionReport = report
                self.accept(report)
            case .reportChange(let change):
                guard let previous = sessionReport else { throw LinkError.unexpected("a report change before the first whole report") }
                let report = change.applied(to: previous)
                sessionReport = report
                self.accept(report)
            case .progress(let progress):
                self.table.update(self.node, at: self.endpoint) { $0.progressed(progress) }
            case .pong: break
            case .ping(let token): try await outbound.send(.pong(token))
            case .answer(let answer): self.table.questions.received(answer)
            default: throw LinkError.unexpected("controller-bound message expected")
            }
        }
        throw LinkError.closed
    }

    private func accept(_ report: NodeReport) {
        let outcome = self.table.update(self.node, at: self.endpoint) { link in (link.received(report), link.applyDuration(of: report)) }
        guard let (taken, duration) = outcome, taken else { return }
        if let duration {
            let name = self.publisher.snapshot.model.nodes[self.node]?.name ?? self.node.rawValue
            let nanoseconds = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
            Timer(label: Self.applyDurationMetric, dimensions: [("node", name)]).recordNanoseconds(nanoseconds)
        }
        self.reports.yield(SatelliteLinks.ReceivedReport(node: self.node, report: report))
    }

    /// From sending a desired state to the satellite's report of it (swift-metrics; `/metrics` shows it).
    static let applyDurationMetric = "depot_satellite_apply_duration_seconds"

    /// Sends the node's desired state whenever it changes, and pings while nothing changes.
    ///
    /// The session's first state goes whole, later ones as what changed (a node's thousandth
    /// resource costs the link what its first did); the periodic refresh sends the whole state again.
    private func sendDesiredStates(_ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, _ lastHeard: Liveness) async throws {
        var lastSent: DesiredNodeState?
        var lastSentAt = ContinuousClock.now
        let generation = self.table.generation(of: self.node)
        var ping: UInt64 = 0
        while true {
            let snapshot = self.publisher.snapshot
            guard snapshot.model.nodes[self.node].flatMap(SatelliteEndpoint.init) == self.endpoint else { throw LinkError.closed }
            guard self.table.generation(of: self.node) == generation else {
                throw LinkError.unexpected("reconnect requested")
            }
            let passphrases = PassphraseRelease.forLink(to: self.endpoint, nodeName: self.node.rawValue, model: snapshot.model)
            if let desired = DesiredStateBuilder.state(for: self.node, in: snapshot, passphrases: passphrases, hostname: { self.table.hostname(of: $0) }) {
                let change = lastSent.map { DesiredStateChange(from: $0, to: desired) }
                let unchanged = lastSent.map { change?.changesNothing(in: $0) ?? false } ?? false
                let refresh = ContinuousClock.now - lastSentAt >= Self.refreshInterval
                if !unchanged || refresh {
                    self.table.update(self.node, at: self.endpoint) { $0.sent(version: desired.version) }
                    if let change, !refresh {
                        try await outbound.send(.desiredChange(change))
                    } else {
                        try await outbound.send(.desiredState(desired))
                    }
                    lastSent = desired
                    lastSentAt = .now
                } else {
                    self.table.update(self.node, at: self.endpoint) { $0.unchanged(at: snapshot.version) }
                }
            }
            guard lastHeard.silence < Self.silenceLimit else {
                throw LinkError.timedOut("the satellite (silent for more than \(Self.silenceLimit))")
            }
            ping += 1
            try await outbound.send(.ping(ping))
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.publisher.waitForChange(after: snapshot.version) }
                group.addTask { try? await Task.sleep(for: Self.pingInterval) }
                await group.next()
                group.cancelAll()
            }
            try Task.checkCancellation()
        }
    }
}

/// When a peer was last heard from; a link that stays silent too long is dropped.
private final class Liveness: Sendable {
    private let lastHeard = Mutex(ContinuousClock.now)

    func touch() { self.lastHeard.withLock { $0 = .now } }

    var silence: Duration { ContinuousClock.now - self.lastHeard.withLock { $0 } }
}

/// Hands a link's frame iterator from the handshake to the receiving task.
///
/// `@unchecked Sendable` is safe here: after the handshake the iterator is used by exactly one task,
/// the receiver, and never concurrently.
private final class FrameReader: @unchecked Sendable {
    private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator

    init(_ iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) {
        self.iterator = iterator
    }

    func next() async throws -> ByteBuffer? {
        try await self.iterator.next()
    }
}
