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
    let resourceJSON: TreeDictionary<PairKey, Data>
    let definitionJSON: TreeDictionary<ObjectKey, Data>
    let order: SortedKeys

    /// Keys in name order, computed by the first reader that needs them and then shared.
    final class SortedKeys: Sendable {
        private let resources = Mutex<[PairKey]?>(nil)
        private let definitions = Mutex<[ObjectKey]?>(nil)
        private let model: ClusterModel

        init(model: ClusterModel) { self.model = model }

        var resourceKeys: [PairKey] {
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
final class SnapshotPublisher: Sendable {
    private let current: Mutex<ClusterSnapshot>

    init(_ snapshot: ClusterSnapshot) {
        self.current = Mutex(snapshot)
    }

    var snapshot: ClusterSnapshot { self.current.withLock { $0 } }

    func publish(_ snapshot: ClusterSnapshot) {
        self.current.withLock { $0 = snapshot }
    }
}
