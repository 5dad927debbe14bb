import DepotModel
import Foundation
import HashTreeCollections
import Synchronization

/// One published version of the cluster: the model plus each object's encoded JSON.
///
/// Readers take the current snapshot and never wait for writers or satellites. Lists are served by
/// joining cached per-object JSON fragments (re-encoded only when an object changes), because
/// encoding 30,000 objects per request would take half a second.
struct ClusterSnapshot: Sendable {
    let version: UInt64
    let model: ClusterModel
    let resourceJSON: TreeDictionary<ResourceKey, Data>
    let definitionJSON: TreeDictionary<ObjectKey, Data>
    let order: SortedKeys

    /// A resource's list entry: cached, or encoded now while the cache is still being filled after a start.
    func resourceFragment(_ key: ResourceKey) -> Data? {
        self.resourceJSON[key] ?? ClusterState.encodeResource(key, in: self.model)
    }

    /// A definition's list entry, likewise.
    func definitionFragment(_ key: ObjectKey) -> Data? {
        self.definitionJSON[key] ?? ClusterState.encodeDefinition(key, in: self.model)
    }

    /// Keys in name order, computed by the first reader that needs them and then shared.
    final class SortedKeys: Sendable {
        private let resources = Mutex<[ResourceKey]?>(nil)
        private let definitions = Mutex<[ObjectKey]?>(nil)
        private let model: ClusterModel

        init(model: ClusterModel) { self.model = model }

        var resourceKeys: [ResourceKey] {
            self.resources.withLock { cached in
                if let cached { return cached }
                let sorted = self.model.resources.keys.sorted()
                cached = sorted
                return sorted
            }
        }

        var definitionKeys: [ObjectKey] {
            self.definitions.withLock { cached in
                if let cached { return cached }
                let sorted = self.model.resourceDefinitions.keys.sorted()
                cached = sorted
                return sorted
            }
        }
    }
}

/// Holds the latest snapshot; swapping it is the only synchronisation readers ever see.
///
/// Background work (satellite links) waits here for the next version instead of polling.
final class SnapshotPublisher: Sendable {
    private struct State {
        var snapshot: ClusterSnapshot
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }

    private let state: Mutex<State>

    init(_ snapshot: ClusterSnapshot) {
        self.state = Mutex(State(snapshot: snapshot))
    }

    var snapshot: ClusterSnapshot { self.state.withLock { $0.snapshot } }

    func publish(_ snapshot: ClusterSnapshot) {
        let waiters = self.state.withLock { state in
            state.snapshot = snapshot
            defer { state.waiters = [:] }
            return state.waiters.values
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once a snapshot newer than `version` is published (at once if one already is), or when
    /// the waiting task is cancelled.
    func waitForChange(after version: UInt64) async {
        let id = self.state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = self.state.withLock { state in
                    if state.snapshot.version > version || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            self.state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
