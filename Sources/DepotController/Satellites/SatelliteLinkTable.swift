import DepotModel
import DepotWire
import Synchronization

/// The state of every node's satellite link, shared by the link tasks and everyone who reads it.
///
/// The cluster state, REST lists and placement read it without waiting on a link; the links feed it
/// events through ``update(_:at:_:)``. Each entry is a ``SatelliteLinkStateMachine``; this type only
/// keeps them, one lock around the whole table, so that a check across nodes (a hostname already
/// online elsewhere) sees one consistent table.
final class SatelliteLinkTable: SatelliteConnections {
    private let links = Mutex<[ObjectKey: SatelliteLinkStateMachine]>([:])
    /// The questions asked over the links that are up.
    let questions = SatelliteQuestions()

    init() {}

    func status(of node: ObjectKey) -> ConnectionStatus {
        self.links.withLock { $0[node]?.status ?? .offline }
    }

    func capabilities(of node: ObjectKey) -> NodeCapabilitiesDTO? {
        self.links.withLock { $0[node]?.welcome?.capabilities }
    }

    /// The hostname the node's satellite last answered with: DRBD configurations name the node by it.
    func hostname(of node: ObjectKey) -> String? {
        self.links.withLock { $0[node]?.welcome?.hostname }
    }

    func poolReport(node: ObjectKey, pool: ObjectKey) -> StoragePoolReport? {
        self.links.withLock { $0[node]?.report?.storagePools.first { ObjectKey($0.name) == pool } }
    }

    func reconnect(_ node: ObjectKey) {
        self.links.withLock { links in links[node]?.reconnectRequested() }
    }

    func ask(_ node: ObjectKey, within timeout: Duration, _ query: (UInt64) -> SatelliteQuery) async -> SatelliteAnswer? {
        guard self.status(of: node) == .online else { return nil }
        return await self.questions.ask(node, within: timeout, query)
    }

    /// Polls every 20 ms until the node's link says how waiting for `version` ends.
    func outcome(of node: ObjectKey, handling version: UInt64, within timeout: Duration) async -> SatelliteOutcome {
        let deadline = ContinuousClock.now + timeout
        while !Task.isCancelled {
            let waitedEnough = ContinuousClock.now >= deadline
            let outcome = self.links.withLock { links in
                links[node].map { $0.outcome(handling: version, waitedEnough: waitedEnough) } ?? .linkLost(nil)
            }
            if let outcome { return outcome }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return .stillApplying(nil)
    }

    /// Gives the node a fresh link state for `endpoint`, unless it already has one for it.
    ///
    /// - Returns: whether the state is new, and a link must be started for it.
    func start(_ node: ObjectKey, at endpoint: SatelliteEndpoint) -> Bool {
        self.links.withLock { links in
            if links[node]?.endpoint == endpoint { return false }
            links[node] = SatelliteLinkStateMachine(endpoint: endpoint)
            return true
        }
    }

    /// Forgets the node's link state for `endpoint` once `isGone` says the node no longer uses it.
    func remove(_ node: ObjectKey, at endpoint: SatelliteEndpoint, if isGone: () -> Bool) {
        self.links.withLock { links in
            if links[node]?.endpoint == endpoint, isGone() { links[node] = nil }
        }
    }

    /// Applies one event to the node's link state, if that state still belongs to `endpoint`.
    ///
    /// - Returns: what the transition returned, or `nil` when the node has moved on to another endpoint.
    @discardableResult
    func update<Action>(_ node: ObjectKey, at endpoint: SatelliteEndpoint, _ event: (inout SatelliteLinkStateMachine) -> Action) -> Action? {
        self.links.withLock { links in
            guard var state = links[node], state.endpoint == endpoint else { return nil }
            let action = event(&state)
            links[node] = state
            return action
        }
    }

    /// The satellite welcomed the node's link: it goes online unless another node's online
    /// satellite answers as the same host.
    func welcomed(_ node: ObjectKey, at endpoint: SatelliteEndpoint, _ welcome: Welcome) -> SatelliteLinkStateMachine.HandshakeAction? {
        self.links.withLock { links in
            guard var state = links[node], state.endpoint == endpoint else { return nil }
            let owner = links.first { $0.key != node && $0.value.status == .online && $0.value.welcome?.hostname == welcome.hostname }?.key
            let action = state.welcomed(welcome, hostnameOwner: owner)
            links[node] = state
            return action
        }
    }

    /// How many reconnects were asked for the node so far; a session ends when this changes.
    func generation(of node: ObjectKey) -> Int {
        self.links.withLock { $0[node]?.generation ?? 0 }
    }
}
