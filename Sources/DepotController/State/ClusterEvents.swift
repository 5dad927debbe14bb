import DepotModel
import Foundation
import Synchronization

/// What the cluster state announces to event streams as it happens.
enum ClusterEvent: Sendable {
    /// A node appeared, went, or changed; `name` is LINSTOR's event name (`node-create`, …).
    case node(name: String, old: Node?, new: Node?)
    /// DRBD's `may_promote` of a replica changed, as its satellite reported.
    case mayPromote(node: String, resource: String, mayPromote: Bool?)
    /// A replica's list entry changed (created, modified, or its observed state); the JSON is the
    /// entry `GET /v1/view/resources` lists.
    case resource(ResourceKey, json: Data)
    /// A replica is gone.
    case resourceDeleted(node: String, resource: String)
    /// Nothing happened for a while; streams send a comment so a dead client is noticed.
    case heartbeat
}

/// Hands every ``ClusterEvent`` to each open event stream.
///
/// Publishing costs nothing while no stream is open. A stream that falls more than
/// ``bufferLimit`` events behind loses the oldest; nothing waits for a slow client.
final class ClusterEvents: Sendable {
    static let bufferLimit = 10_000

    private let subscribers = Mutex<[UInt64: AsyncStream<ClusterEvent>.Continuation]>([:])
    private let lastID = Atomic<UInt64>(0)

    var hasSubscribers: Bool { self.subscribers.withLock { !$0.isEmpty } }

    /// A stream of the events from now on, and the continuation that feeds it (for heartbeats).
    func subscribe() -> (AsyncStream<ClusterEvent>, AsyncStream<ClusterEvent>.Continuation) {
        let id = self.lastID.add(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream.makeStream(of: ClusterEvent.self, bufferingPolicy: .bufferingNewest(Self.bufferLimit))
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        self.subscribers.withLock { $0[id] = continuation }
        return (stream, continuation)
    }

    func publish(_ events: [ClusterEvent]) {
        guard !events.isEmpty else { return }
        let targets = self.subscribers.withLock { Array($0.values) }
        for target in targets {
            for event in events { target.yield(event) }
        }
    }

    /// LINSTOR's node events between two versions of the nodes.
    static func nodeEvents(from old: some Collection<Node>, to new: some Collection<Node>) -> [ClusterEvent] {
        let before = Dictionary(old.map { ($0.key, $0) }) { first, _ in first }
        let after = Dictionary(new.map { ($0.key, $0) }) { first, _ in first }
        var events: [ClusterEvent] = []
        for (key, node) in after.sorted(by: { $0.key < $1.key }) {
            guard let previous = before[key] else {
                events.append(.node(name: "node-create", old: nil, new: node))
                continue
            }
            guard previous != node else { continue }
            let wasEvacuating = previous.flags.contains(NodeFlag.evacuate)
            let isEvacuating = node.flags.contains(NodeFlag.evacuate)
            if !wasEvacuating, isEvacuating {
                events.append(.node(name: "node-evacuate", old: previous, new: node))
            } else if wasEvacuating, !isEvacuating {
                events.append(.node(name: "node-restored", old: previous, new: node))
            } else {
                events.append(.node(name: "node-modified", old: previous, new: node))
            }
        }
        for key in before.keys.sorted() where after[key] == nil {
            events.append(.node(name: "node-delete", old: before[key], new: nil))
        }
        return events
    }
}
