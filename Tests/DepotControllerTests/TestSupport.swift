import DepotModel
import DepotStore
import DepotWire
import HashTreeCollections
import Logging
import Synchronization

@testable import DepotController

/// A store kept in memory for tests that need no database; it can be told to fail commits.
final class MemoryStore: ClusterStore {
    private let state = Mutex<(cluster: StoredCluster, failing: Bool, commits: Int, changes: Int)>(
        (
            {
                var cluster = StoredCluster()
                cluster.isNewDatabase = true
                return cluster
            }(), false, 0, 0
        ))
    /// How long a commit takes, so that concurrent changes pile up behind it.
    let commitDelay: Duration

    init(commitDelay: Duration = .zero) {
        self.commitDelay = commitDelay
    }

    func load() throws -> StoredCluster { self.state.withLock { $0.cluster } }

    func commit(_ changes: [StoreChange]) async throws {
        if self.commitDelay > .zero { try await Task.sleep(for: self.commitDelay) }
        try self.state.withLock { state in
            if state.failing { throw StoreFailure() }
            state.commits += 1
            state.changes += changes.count
        }
    }

    func failCommits(_ failing: Bool) { self.state.withLock { $0.failing = failing } }
    var commits: Int { self.state.withLock { $0.commits } }
    var changes: Int { self.state.withLock { $0.changes } }

    struct StoreFailure: Error, CustomStringConvertible {
        var description: String { "disk full (test)" }
    }
}

/// Builders for request bodies as python-linstor sends them.
enum Body {
    static func node(_ name: String, _ type: String = "Satellite", address: String = "127.0.0.2") -> NodeDTO {
        var dto = NodeDTO()
        dto.name = name
        dto.type = type
        var interface = NetInterfaceDTO()
        interface.name = "default"
        interface.address = address
        interface.satellitePort = 3366
        interface.satelliteEncryptionType = "Plain"
        dto.netInterfaces = [interface]
        return dto
    }

    static func pool(_ name: String, _ kind: String = "LVM_THIN", backing: String? = "vg/thin") -> StoragePoolDTO {
        var dto = StoragePoolDTO()
        dto.storagePoolName = name
        dto.providerKind = kind
        dto.props = backing.map { ["StorDriver/StorPoolName": $0] }
        return dto
    }

    static func definition(_ name: String, layers: [String]? = nil) -> ResourceDefinitionCreateDTO {
        var dto = ResourceDefinitionCreateDTO()
        dto.resourceDefinition.name = name
        dto.resourceDefinition.layerData = layers?.map { type in
            var layer = ResourceDefinitionLayerDTO()
            layer.type = type
            return layer
        }
        return dto
    }

    static func volume(_ sizeKiB: Int64, number: Int? = nil) -> VolumeDefinitionCreateDTO {
        var dto = VolumeDefinitionCreateDTO()
        dto.volumeDefinition.sizeKiB = sizeKiB
        dto.volumeDefinition.volumeNumber = number
        return dto
    }

    static func resource(on node: String, pool: String? = "thinpool", flags: [String]? = nil) -> ResourceCreateDTO {
        var dto = ResourceCreateDTO()
        dto.resource.nodeName = node
        dto.resource.props = pool.map { ["StorPoolName": $0] }
        dto.resource.flags = flags
        return dto
    }
}

extension ClusterTransaction {
    static func empty() -> ClusterTransaction {
        var transaction = ClusterTransaction(model: ClusterModel(), now: 0)
        transaction.ensureDefaults(firstStart: true)
        return transaction
    }

    /// The article's cluster: four nodes with a thin pool each.
    static func article() throws -> ClusterTransaction {
        var transaction = Self.empty()
        _ = try transaction.createNode(Body.node("romulus", "Combined", address: "127.0.0.11"))
        for (index, name) in ["remus", "vulcan", "kronos"].enumerated() {
            _ = try transaction.createNode(Body.node(name, address: "127.0.0.\(12 + index)"))
        }
        for name in ["romulus", "remus", "vulcan", "kronos"] {
            _ = try transaction.createStoragePool(name, Body.pool("thinpool", backing: "drbdpool/thinpool"))
        }
        return transaction
    }
}

func makeState(_ store: MemoryStore = MemoryStore()) async throws -> ClusterState {
    try await ClusterState(store: store, logger: Logger(label: "test"), satellites: NoSatelliteConnections())
}

/// The controller without satellites (test double): every node is offline and keeps its desired state.
struct NoSatelliteConnections: SatelliteConnections {
    func status(of node: ObjectKey) -> ConnectionStatus { .offline }
    func capabilities(of node: ObjectKey) -> NodeCapabilitiesDTO? { nil }
    func poolReport(node: ObjectKey, pool: ObjectKey) -> StoragePoolReport? { nil }
    func outcome(of node: ObjectKey, handling version: UInt64, within timeout: Duration) async -> SatelliteOutcome { .linkLost(nil) }
    func reconnect(_ node: ObjectKey) {}
}
