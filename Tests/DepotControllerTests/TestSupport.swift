import DepotModel
import DepotReports
import DepotTestSupport
import DepotWire
import Foundation
import HashTreeCollections
import Logging

@testable import DepotController

/// Builders for the operations' requests, filled as python-linstor's usual calls fill them.
enum Body {
    static func node(_ name: String, _ type: String = "Satellite", address: String = "127.0.0.2") -> NewNode {
        let interface = NetInterfaceSettings(name: "default", address: address, satellitePort: 3366, encryptionType: "Plain")
        return NewNode(name: name, type: type, netInterfaces: [interface])
    }

    static func pool(_ name: String, _ kind: String = "LVM_THIN", backing: String? = "vg/thin") -> NewStoragePool {
        NewStoragePool(name: name, providerKind: kind, props: backing.map { ["StorDriver/StorPoolName": $0] } ?? [:])
    }

    static func definition(_ name: String, layers: [String]? = nil) -> NewResourceDefinition {
        NewResourceDefinition(name: name, layerStack: layers)
    }

    static func volume(_ sizeKiB: Int64, number: Int? = nil) -> NewVolumeDefinition {
        NewVolumeDefinition(number: number, sizeKiB: sizeKiB)
    }

    static func resource(on node: String, pool: String? = "thinpool", flags: [String]? = nil) -> NewResource {
        NewResource(nodeName: node, props: pool.map { ["StorPoolName": $0] } ?? [:], flags: flags ?? [])
    }

    static func group(_ name: String, placeCount: Int? = nil, pool: String? = nil) -> NewResourceGroup {
        var filter = AutoSelectFilter()
        filter.placeCount = placeCount
        filter.storagePool = pool
        return NewResourceGroup(name: name, selectFilter: filter)
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
    try await ClusterState(store: store, logger: Logger(label: "test"), satellites: NoSatelliteConnections(), errorReports: testErrorReporter())
}

/// Removes the reports directory of a state from `makeState`, for tests whose changes write reports.
func removeErrorReports(of state: ClusterState) {
    try? FileManager.default.removeItem(atPath: state.errorReports.directory)
}

/// A reporter in a fresh temporary directory, as the controller keeps one in its data directory.
func testErrorReporter() -> ErrorReporter {
    ErrorReporter(
        directory: NSTemporaryDirectory() + "depot-test-reports-\(UUID().uuidString)", module: .controller, nodeName: "controller-host", version: "0.1.0",
        logger: Logger(label: "test"))
}

/// The controller without satellites (test double): every node is offline and keeps its desired state.
struct NoSatelliteConnections: SatelliteConnections {
    func status(of node: ObjectKey) -> ConnectionStatus { .offline }
    func capabilities(of node: ObjectKey) -> NodeCapabilitiesDTO? { nil }
    func hostname(of node: ObjectKey) -> String? { nil }
    func poolReport(node: ObjectKey, pool: ObjectKey) -> StoragePoolReport? { nil }
    func outcome(of node: ObjectKey, handling version: UInt64, within timeout: Duration) async -> SatelliteOutcome { .linkLost(nil) }
    func reconnect(_ node: ObjectKey) {}
    func ask(_ node: ObjectKey, within timeout: Duration, _ query: (UInt64) -> SatelliteQuery) async -> SatelliteAnswer? { nil }
}
