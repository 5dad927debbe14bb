import DepotModel
import DepotStore
import DepotWire
import Foundation
import HashTreeCollections
import Logging

/// The one owner of the controller's mutable state.
///
/// Every change runs here, one at a time: it is validated on a copy of the working model, then
/// committed to the database, and only then acknowledged and published. Changes that arrive while a
/// commit is on disk are applied on top of it and committed together in the next transaction
/// (group commit), so throughput is not bound by one fsync per change. Readers never enter the
/// actor; they read the ``SnapshotPublisher``.
actor ClusterState {
    private let store: any ClusterStore
    private let logger: Logger
    /// The durable model plus every applied change that waits for its commit.
    private var working: ClusterModel
    /// What the database holds: where `working` returns to when a commit fails.
    private var committed: ClusterModel
    private var queue: [PendingChange] = []
    private var waiters: [UInt64: CheckedContinuation<Outcome, Never>] = [:]
    private var isCommitting = false
    private var nextID: UInt64 = 0
    private var version: UInt64 = 0
    nonisolated let publisher: SnapshotPublisher
    nonisolated let satellites: any SatelliteConnections

    /// A change applied to `working`, waiting to be written.
    private struct PendingChange {
        let id: UInt64
        let context: CallContext
        let replies: [Reply]
        let changes: [StoreChange]
        let model: ClusterModel
        let dirtyResources: Set<PairKey>
        let dirtyDefinitions: Set<ObjectKey>
    }

    /// What a waiting caller is told: its change is durable, or it must write the next batch.
    private enum Outcome {
        case done([Reply])
        case lead
    }

    init(store: any ClusterStore, satellites: any SatelliteConnections, logger: Logger) async throws {
        self.store = store
        self.logger = logger
        self.satellites = satellites
        let stored = try store.load()
        var seed = ClusterTransaction(model: ClusterModel(stored: stored), now: Self.now())
        seed.ensureDefaults(firstStart: stored.isNewDatabase)
        try await store.commit(seed.changes)
        self.working = seed.model
        self.committed = seed.model
        self.publisher = SnapshotPublisher(Self.makeSnapshot(version: 0, model: seed.model))
    }

    /// Applies one operation atomically and durably; returns its replies with ret_code masks filled in.
    ///
    /// The reply is returned only after the change is in the database.
    func mutate(
        _ context: CallContext,
        _ operation: @Sendable (inout ClusterTransaction) throws(DepotError) -> [Reply]
    ) async -> [Reply] {
        var transaction = ClusterTransaction(model: self.working, now: Self.now())
        let replies: [Reply]
        do {
            replies = try operation(&transaction)
        } catch {
            return context.apply([Reply(error)])
        }
        guard !transaction.isEmpty else { return context.apply(replies) }
        self.working = transaction.model
        let id = self.nextID
        self.nextID += 1
        self.queue.append(
            PendingChange(
                id: id, context: context, replies: context.apply(replies + self.offlineWarnings(transaction)), changes: transaction.changes,
                model: transaction.model, dirtyResources: transaction.dirtyResources, dirtyDefinitions: transaction.dirtyDefinitions))
        if self.isCommitting {
            let outcome = await withCheckedContinuation { continuation in self.waiters[id] = continuation }
            if case .done(let result) = outcome { return result }
        }
        self.isCommitting = true
        return await self.commitQueue(leader: id)
    }

    /// Writes everything queued in one transaction, answers its callers, and hands the next batch on.
    private func commitQueue(leader: UInt64) async -> [Reply] {
        let batch = self.queue
        self.queue = []
        var own: [Reply] = []
        do {
            try await self.store.commit(batch.flatMap(\.changes))
            if let last = batch.last {
                self.committed = last.model
                self.version += 1
                self.publish(model: last.model, resources: batch.reduce(into: []) { $0.formUnion($1.dirtyResources) },
                    definitions: batch.reduce(into: []) { $0.formUnion($1.dirtyDefinitions) })
            }
            for change in batch {
                if change.id == leader { own = change.replies } else { self.waiters.removeValue(forKey: change.id)?.resume(returning: .done(change.replies)) }
            }
        } catch {
            self.logger.error("database commit failed", metadata: ["error": "\(error)"])
            let failure = Reply(
                .failSQL, "The change could not be saved to the database.", cause: "\(error)",
                correction: "Check the controller's data directory (disk space, permissions); nothing was changed.")
            // Changes queued meanwhile were built on the failed ones: they fail too.
            for change in batch + self.queue {
                let reply = change.context.apply([failure])
                if change.id == leader { own = reply } else { self.waiters.removeValue(forKey: change.id)?.resume(returning: .done(reply)) }
            }
            self.queue = []
            self.working = self.committed
        }
        if let next = self.queue.first, let waiter = self.waiters.removeValue(forKey: next.id) {
            waiter.resume(returning: .lead)
        } else {
            self.isCommitting = false
        }
        return own
    }

    /// Satellites that could not be told yet get the change when they connect; the caller learns which.
    private func offlineWarnings(_ transaction: ClusterTransaction) -> [Reply] {
        let nodes = Set(transaction.dirtyResources.map(\.second)).sorted()
        return nodes.compactMap { key in
            guard let node = transaction.model.nodes[key], self.satellites.status(of: key) != .online else { return nil }
            return Reply(
                .warnNotConnected, "No active connection to satellite '\(node.name)'.",
                details: "The controller stored the change; the satellite receives it as soon as it is connected.",
                objectReferences: ["Node": node.name])
        }
    }

    private func publish(model: ClusterModel, resources: Set<PairKey>, definitions: Set<ObjectKey>) {
        let previous = self.publisher.snapshot
        var resourceJSON = previous.resourceJSON
        var definitionJSON = previous.definitionJSON
        for key in resources { resourceJSON[key] = Self.encodeResource(key, in: model) }
        for key in definitions { definitionJSON[key] = Self.encodeDefinition(key, in: model) }
        self.publisher.publish(
            ClusterSnapshot(
                version: self.version, model: model, resourceJSON: resourceJSON, definitionJSON: definitionJSON,
                order: ClusterSnapshot.SortedKeys(model: model)))
    }

    private static func makeSnapshot(version: UInt64, model: ClusterModel) -> ClusterSnapshot {
        var resourceJSON: TreeDictionary<PairKey, Data> = [:]
        for key in model.resources.keys { resourceJSON[key] = Self.encodeResource(key, in: model) }
        var definitionJSON: TreeDictionary<ObjectKey, Data> = [:]
        for key in model.resourceDefinitions.keys { definitionJSON[key] = Self.encodeDefinition(key, in: model) }
        return ClusterSnapshot(
            version: version, model: model, resourceJSON: resourceJSON, definitionJSON: definitionJSON,
            order: ClusterSnapshot.SortedKeys(model: model))
    }

    static func encodeResource(_ key: PairKey, in model: ClusterModel) -> Data? {
        guard let resource = model.resources[key], let definition = model.resourceDefinitions[key.first] else { return nil }
        let dto = WireMapper.resource(resource, definition: definition) { pool in
            model.storagePools[PairKey(key.second, ObjectKey(pool))]
        }
        var writer = JSONWriter()
        dto.writeJSON(to: &writer)
        return Data(writer.bytes)
    }

    static func encodeDefinition(_ key: ObjectKey, in model: ClusterModel) -> Data? {
        guard let definition = model.resourceDefinitions[key] else { return nil }
        var writer = JSONWriter()
        WireMapper.resourceDefinition(definition, withVolumes: false).writeJSON(to: &writer)
        return Data(writer.bytes)
    }

    private static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}

extension ClusterTransaction {
    /// LINSTOR's built-in objects: the default resource group and pool definitions.
    ///
    /// `DfltRscGrp` and `DfltDisklessStorPool` cannot be deleted and are restored if missing;
    /// `DfltStorPool` is only created with a new database, so deleting it is final.
    mutating func ensureDefaults(firstStart: Bool) {
        if self.model.resourceGroups[ObjectKey(ResourceGroup.defaultName)] == nil {
            var group = ResourceGroup(name: ResourceGroup.defaultName, uuid: Identifier.makeUUID())
            group.selectFilter.placeCount = 2
            self.put(group)
        }
        if self.model.storagePoolDefinitions[ObjectKey(DefaultStoragePool.diskless)] == nil {
            self.put(StoragePoolDefinition(name: DefaultStoragePool.diskless, uuid: Identifier.makeUUID()))
        }
        if firstStart, self.model.storagePoolDefinitions[ObjectKey(DefaultStoragePool.diskful)] == nil {
            self.put(StoragePoolDefinition(name: DefaultStoragePool.diskful, uuid: Identifier.makeUUID()))
        }
        if self.model.controllerProps["Cluster/LocalID"] == nil {
            var props = self.model.controllerProps
            props["Cluster/LocalID"] = Identifier.makeUUID()
            self.setControllerProps(props)
        }
    }
}
