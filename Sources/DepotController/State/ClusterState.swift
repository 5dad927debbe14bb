import DepotModel
import DepotStore
import DepotWire
import Foundation
import HashTreeCollections
import Logging

/// The one owner of the controller's mutable state.
///
/// Every change runs here, one at a time: validate on a copy, commit the copy's changes to the
/// database, then publish the new snapshot. Readers never enter the actor; they read the
/// ``SnapshotPublisher``.
actor ClusterState {
    private let store: any ClusterStore
    private let logger: Logger
    private var model: ClusterModel
    private var version: UInt64 = 0
    nonisolated let publisher: SnapshotPublisher
    nonisolated let satellites: any SatelliteConnections

    init(store: any ClusterStore, satellites: any SatelliteConnections, logger: Logger) throws {
        self.store = store
        self.logger = logger
        self.satellites = satellites
        let loaded = ClusterModel(stored: try store.load())
        var seed = ClusterTransaction(model: loaded, now: Self.now())
        seed.ensureDefaults()
        try store.commit(seed.changes)
        self.model = seed.model
        self.publisher = SnapshotPublisher(Self.makeSnapshot(version: 0, model: seed.model))
    }

    /// Applies one operation atomically and durably; returns its replies with ret_code masks filled in.
    func mutate(
        _ context: CallContext,
        _ operation: @Sendable (inout ClusterTransaction) throws(DepotError) -> [Reply]
    ) -> [Reply] {
        var transaction = ClusterTransaction(model: self.model, now: Self.now())
        var replies: [Reply]
        do {
            replies = try operation(&transaction)
        } catch {
            return context.apply([Reply(error)])
        }
        do {
            try self.store.commit(transaction.changes)
        } catch {
            self.logger.error("database commit failed", metadata: ["error": "\(error)"])
            return context.apply([
                Reply(
                    .failSQL, "The change could not be saved to the database.", cause: "\(error)",
                    correction: "Check the controller's data directory (disk space, permissions); nothing was changed.")
            ])
        }
        self.model = transaction.model
        self.version += 1
        self.publish(transaction)
        replies += self.offlineWarnings(transaction)
        return context.apply(replies)
    }

    /// Satellites that could not be told yet get the change when they connect; the caller learns which.
    private func offlineWarnings(_ transaction: ClusterTransaction) -> [Reply] {
        let nodes = Set(transaction.dirtyResources.map(\.second)).sorted()
        return nodes.compactMap { key in
            guard let node = self.model.nodes[key], self.satellites.status(of: key) != .online else { return nil }
            return Reply(
                .warnNotConnected, "No active connection to satellite '\(node.name)'.",
                details: "The controller stored the change; the satellite receives it as soon as it is connected.",
                objectReferences: ["Node": node.name])
        }
    }

    private func publish(_ transaction: ClusterTransaction) {
        let previous = self.publisher.snapshot
        var resourceJSON = previous.resourceJSON
        var definitionJSON = previous.definitionJSON
        let encoder = JSONEncoder()
        for key in transaction.dirtyResources {
            resourceJSON[key] = Self.encodeResource(key, in: self.model, encoder)
        }
        for key in transaction.dirtyDefinitions {
            definitionJSON[key] = Self.encodeDefinition(key, in: self.model, encoder)
        }
        self.publisher.publish(
            ClusterSnapshot(
                version: self.version, model: self.model, resourceJSON: resourceJSON, definitionJSON: definitionJSON,
                order: ClusterSnapshot.SortedKeys(model: self.model)))
    }

    private static func makeSnapshot(version: UInt64, model: ClusterModel) -> ClusterSnapshot {
        let encoder = JSONEncoder()
        var resourceJSON: TreeDictionary<PairKey, Data> = [:]
        for key in model.resources.keys { resourceJSON[key] = Self.encodeResource(key, in: model, encoder) }
        var definitionJSON: TreeDictionary<ObjectKey, Data> = [:]
        for key in model.resourceDefinitions.keys { definitionJSON[key] = Self.encodeDefinition(key, in: model, encoder) }
        return ClusterSnapshot(
            version: version, model: model, resourceJSON: resourceJSON, definitionJSON: definitionJSON,
            order: ClusterSnapshot.SortedKeys(model: model))
    }

    static func encodeResource(_ key: PairKey, in model: ClusterModel, _ encoder: JSONEncoder) -> Data? {
        guard let resource = model.resources[key], let definition = model.resourceDefinitions[key.first] else { return nil }
        let dto = WireMapper.resource(resource, definition: definition) { pool in
            model.storagePools[PairKey(key.second, ObjectKey(pool))]
        }
        return try? encoder.encode(dto)
    }

    static func encodeDefinition(_ key: ObjectKey, in model: ClusterModel, _ encoder: JSONEncoder) -> Data? {
        guard let definition = model.resourceDefinitions[key] else { return nil }
        return try? encoder.encode(WireMapper.resourceDefinition(definition, withVolumes: false))
    }

    private static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}

extension ClusterTransaction {
    /// LINSTOR's built-in objects: the default resource group and the diskless pool definition.
    mutating func ensureDefaults() {
        if self.model.resourceGroups[ObjectKey(ResourceGroup.defaultName)] == nil {
            var group = ResourceGroup(name: ResourceGroup.defaultName, uuid: Identifier.makeUUID())
            group.selectFilter.placeCount = 2
            self.put(group)
        }
        if self.model.storagePoolDefinitions[ObjectKey(DefaultStoragePool.diskless)] == nil {
            self.put(StoragePoolDefinition(name: DefaultStoragePool.diskless, uuid: Identifier.makeUUID()))
        }
        if self.model.storagePoolDefinitions[ObjectKey(DefaultStoragePool.diskful)] == nil, self.model.nodes.isEmpty {
            self.put(StoragePoolDefinition(name: DefaultStoragePool.diskful, uuid: Identifier.makeUUID()))
        }
        if self.model.controllerProps["Cluster/LocalID"] == nil {
            var props = self.model.controllerProps
            props["Cluster/LocalID"] = Identifier.makeUUID()
            self.setControllerProps(props)
        }
    }
}
