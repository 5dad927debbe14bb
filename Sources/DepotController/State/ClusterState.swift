import DepotModel
import DepotReports
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
    let store: any ClusterStore
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
    /// What satellites last reported per resource; not persisted, rebuilt from the next reports.
    private var observations: TreeDictionary<ResourceKey, ResourceReport> = [:]
    /// What each node last reported of its snapshots, by ``SnapshotReport/id``; not persisted.
    private var snapshotReports: [ObjectKey: [String: SnapshotReport]] = [:]
    /// Nodes that reported since their link came up; the first report of a node re-evaluates quorum.
    private var reportingNodes: Set<ObjectKey> = []
    nonisolated let publisher: SnapshotPublisher
    nonisolated let satellites: any SatelliteConnections
    /// The controller's error reports: what failed unexpectedly, for the replies' `error_report_ids`.
    nonisolated let errorReports: ErrorReporter
    /// What event streams (`/v1/events/…`) are told as it happens.
    nonisolated let events = ClusterEvents()

    /// A change applied to `working`, waiting to be written.
    private struct PendingChange {
        let id: UInt64
        let context: CallContext
        let replies: [Reply]
        let changes: [StoreChange]
        let model: ClusterModel
        let dirtyResources: Set<ResourceKey>
        let dirtyDefinitions: Set<ObjectKey>
        let affectedNodes: Set<ObjectKey>
    }

    /// What a waiting caller is told: its change is durable, or it must write the next batch.
    private enum Outcome {
        /// The replies, and the published version that holds the change (nil when it failed).
        case done([Reply], UInt64?)
        case lead
    }

    /// - Parameter satellites: What the satellite links know; it answers for nodes and waits for their reports.
    init(store: any ClusterStore, logger: Logger, satellites: any SatelliteConnections, errorReports: ErrorReporter) async throws {
        self.store = store
        self.logger = logger
        self.errorReports = errorReports
        let stored = try await store.load()
        let check = DatabaseCheck(stored)
        var model = ClusterModel(stored: check.cluster)
        model.quarantine = check.quarantine
        Self.announce(check.quarantine, logger: logger, errorReports: errorReports)
        var seed = ClusterTransaction(model: model, now: Self.now())
        seed.ensureDefaults(firstStart: stored.isNewDatabase)
        seed.abortInterruptedSnapshots()
        try await store.commit(seed.changes)
        self.working = seed.model
        self.committed = seed.model
        // The list cache is filled by ``warmUp()`` once REST is serving; until then lists encode on demand.
        self.publisher = SnapshotPublisher(
            ClusterSnapshot(version: 0, model: seed.model, resourceJSON: [:], definitionJSON: [:], order: ClusterSnapshot.SortedKeys(model: seed.model)))
        self.satellites = satellites
    }

    /// Applies one operation atomically and durably; returns its replies with ret_code masks filled in.
    ///
    /// The reply is returned only after the change is in the database.
    func mutate(
        _ context: CallContext,
        waitForSatellites: Bool = true,
        _ operation: @Sendable (inout ClusterTransaction) throws(DepotError) -> [Reply]
    ) async -> [Reply] {
        let before = self.working
        let satellites = self.satellites
        let observations = self.observations
        var transaction = ClusterTransaction(
            model: before, now: Self.now(), capabilities: { satellites.capabilities(of: $0) }, isOnline: { satellites.status(of: $0) == .online },
            poolReport: { satellites.poolReport(node: $0.node, pool: $0.pool) }, observed: { observations[$0] })
        let replies: [Reply]
        do {
            replies = try operation(&transaction)
        } catch {
            return context.apply([Reply(error)])
        }
        guard !transaction.isEmpty else { return context.apply(replies) }
        if let row = transaction.model.quarantine.conflict(with: transaction.changes) {
            return context.apply([Reply(Self.quarantined(row))])
        }
        self.working = transaction.model
        let id = self.nextID
        self.nextID += 1
        self.queue.append(
            PendingChange(
                id: id, context: context, replies: context.apply(replies + self.offlineWarnings(transaction)), changes: transaction.changes,
                model: transaction.model, dirtyResources: transaction.dirtyResources, dirtyDefinitions: transaction.dirtyDefinitions,
                affectedNodes: transaction.affectedNodes))
        var result: ([Reply], UInt64?)?
        if self.isCommitting {
            let outcome = await withCheckedContinuation { continuation in self.waiters[id] = continuation }
            if case .done(let replies, let version) = outcome { result = (replies, version) }
        }
        if result == nil {
            self.isCommitting = true
            result = await self.commitQueue(leader: id)
        }
        guard let (replies, published) = result else { return [] }
        guard let version = published else { return replies }
        // Durable and published: now give the satellites the chance to act and say how it went.
        let nodes = transaction.affectedNodes.filter { self.satellites.status(of: $0) == .online }
        guard waitForSatellites, !nodes.isEmpty else { return replies }
        let names = Dictionary(
            uniqueKeysWithValues: transaction.dirtyResources.map { key in
                (key, (transaction.model.resources[key] ?? before.resources[key])?.resourceName ?? key.resource.rawValue)
            })
        let results = await SatelliteReplies.collect(nodes: nodes, resources: names, version: version, from: self.satellites, publisher: self.publisher)
        return replies + context.apply(results)
    }

    /// Writes everything queued in one transaction, answers its callers, and hands the next batch on.
    private func commitQueue(leader: UInt64) async -> ([Reply], UInt64?) {
        let batch = self.queue
        self.queue = []
        var own: [Reply] = []
        var published: UInt64?
        do {
            try await self.store.commit(batch.flatMap(\.changes))
            if let last = batch.last {
                self.committed = last.model
                self.version += 1
                self.publish(
                    model: last.model, resources: batch.reduce(into: []) { $0.formUnion($1.dirtyResources) },
                    definitions: batch.reduce(into: []) { $0.formUnion($1.dirtyDefinitions) })
            }
            published = self.version
            for change in batch {
                if change.id == leader {
                    own = change.replies
                } else {
                    self.waiters.removeValue(forKey: change.id)?.resume(returning: .done(change.replies, self.version))
                }
            }
        } catch {
            let reportID = self.errorReports.record(
                Incident(
                    kind: "DatabaseError", message: "A transaction of \(batch.count) change(s) could not be committed: \(error)",
                    context: batch.map { Incident.ContextEntry("Change", "\($0.context.operation) \($0.context.object)") }))
            let failure = Reply(
                .failSQL, "The change could not be saved to the database.", cause: "\(error)",
                correction:
                    "Check the controller's database (SQLite: the data directory's disk space and permissions; PostgreSQL: that the server runs and is reachable); nothing was changed.",
                errorReportIDs: [reportID])
            // Changes queued meanwhile were built on the failed ones: they fail too.
            for change in batch + self.queue {
                let reply = change.context.apply([failure])
                if change.id == leader { own = reply } else { self.waiters.removeValue(forKey: change.id)?.resume(returning: .done(reply, nil)) }
            }
            self.queue = []
            self.working = self.committed
        }
        if let next = self.queue.first, let waiter = self.waiters.removeValue(forKey: next.id) {
            waiter.resume(returning: .lead)
        } else {
            self.isCommitting = false
        }
        return (own, published)
    }

    /// Satellites that could not be told yet get the change when they connect; the caller learns which.
    private func offlineWarnings(_ transaction: ClusterTransaction) -> [Reply] {
        let nodes = Set(transaction.dirtyResources.map(\.node)).sorted()
        return nodes.compactMap { key in
            guard let node = transaction.model.nodes[key], self.satellites.status(of: key) != .online else { return nil }
            return Reply(
                .warnNotConnected, "No active connection to satellite '\(node.name)'.",
                details: "The controller stored the change; the satellite receives it as soon as it is connected.",
                objectReferences: ["Node": node.name])
        }
    }

    /// A node's link went down: nothing it reported earlier is known any more, so its replicas show
    /// Unknown (not the last state it reported) until it reports again.
    func forget(_ node: ObjectKey) async {
        self.reportingNodes.remove(node)
        self.snapshotReports[node] = nil
        let keys = Set(self.observations.keys.filter { $0.node == node })
        if !keys.isEmpty {
            for key in keys { self.observations[key] = nil }
            self.version += 1
            self.publish(model: self.committed, resources: keys, definitions: [])
        }
        await self.advanceSnapshots()
    }

    /// Moves snapshots being taken to their next phase, when the reports allow it.
    func advanceSnapshots() async {
        guard !self.working.snapshotsInProgress.isEmpty else { return }
        let reports = self.snapshotReports
        _ = await self.mutate(CallContext(.modify, .snapshot), waitForSatellites: false) {
            (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
            transaction.advanceSnapshots(reports: reports)
            return []
        }
        guard self.working.resourceDefinitions.values.contains(where: { $0.clone != nil }) else { return }
        let replies = await self.mutate(CallContext(.create, .resource), waitForSatellites: false) {
            (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
            try transaction.continueClones()
            return []
        }
        for reply in replies where reply.code.isError {
            self.logger.warning("clone not continued", metadata: ["reason": "\(reply.message)"])
        }
    }

    /// How long taking a snapshot may wait for every node before it is given up and I/O resumes.
    static let snapshotTimeout: Duration = .seconds(60)

    /// Waits until the snapshot left its phases (taken or failed), at most until `deadline`; then it
    /// is aborted so that no I/O stays suspended. Returns the snapshot as it ended, nil when it is gone.
    func awaitSnapshot(_ key: SnapshotKey, deadline: ContinuousClock.Instant) async -> SnapshotDefinition? {
        while let snapshot = self.committed.snapshots[key], snapshot.phase != nil {
            if ContinuousClock.now >= deadline, snapshot.phase != .aborting {
                let waiting = Self.describeWait(snapshot)
                _ = await self.mutate(CallContext(.create, .snapshot), waitForSatellites: false) {
                    (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                    transaction.abortSnapshot(key, reason: "Timed out \(waiting).")
                    return []
                }
                await self.advanceSnapshots()
            } else if ContinuousClock.now >= deadline + .seconds(30) {
                return self.committed.snapshots[key]
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return self.committed.snapshots[key]
    }

    private static func describeWait(_ snapshot: SnapshotDefinition) -> String {
        switch snapshot.phase {
        case .suspending: "waiting for DRBD to suspend I/O of '\(snapshot.resourceName)'"
        case .taking: "waiting for the storage snapshots of '\(snapshot.resourceName)' on " + snapshot.nodes.keys.sorted().joined(separator: ", ")
        case .resuming: "waiting for DRBD to resume I/O of '\(snapshot.resourceName)'"
        case .aborting, nil: "waiting for '\(snapshot.resourceName)'"
        }
    }

    /// Takes the definition's next automatic snapshot, waits for it like a `snapshot create`, then
    /// prunes the automatic snapshots beyond `AutoSnapshot/Keep`.
    ///
    /// - Returns: the snapshot taken (nil when it was refused) and every reply.
    func takeAutoSnapshot(of definition: ObjectKey) async -> (SnapshotKey?, [Reply]) {
        var replies = await self.mutate(CallContext(.create, .snapshot), waitForSatellites: false) {
            (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
            try transaction.createAutoSnapshot(definition)
        }
        guard !replies.contains(where: { $0.code.isError }),
            let key = self.working.snapshots(of: definition).first(where: { $0.phase != nil && $0.flags.contains(SnapshotFlag.autoSnapshot) })?.key
        else { return (nil, replies) }
        await self.advanceSnapshots()
        let ended = await self.awaitSnapshot(key, deadline: .now + Self.snapshotTimeout)
        if let failure = ended?.failure {
            replies.append(Reply(.failUnknownError, "Automatic snapshot '\(key.snapshot)' failed.", cause: failure))
        }
        replies += await self.mutate(CallContext(.delete, .snapshot), waitForSatellites: false) {
            (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
            try transaction.pruneAutoSnapshots(definition)
        }
        return (key, replies)
    }

    /// Waits until every replica finished the definition's rollback, at most until `deadline`.
    /// Returns whether it finished.
    func awaitRollback(_ definition: ObjectKey, id: String, deadline: ContinuousClock.Instant) async -> Bool {
        while ContinuousClock.now < deadline {
            guard self.committed.resourceDefinitions[definition]?.rollback?.id == id else { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return self.committed.resourceDefinitions[definition]?.rollback?.id != id
    }

    /// LINSTOR's `sync-status`: every diskful DRBD replica of the definition has each volume
    /// UpToDate as its satellite last reported it (an unreachable one does not count as synced).
    func isSyncedOnAll(_ definition: ObjectKey) -> Bool {
        self.committed.resources(ofDefinition: definition).allSatisfy { resource in
            guard resource.drbd != nil, !resource.isDiskless, !resource.flags.contains(ResourceFlag.delete) else { return true }
            guard let report = self.observations[resource.key] else { return false }
            return resource.volumes.keys.allSatisfy { number in report.volumes.first { $0.number == number }?.diskState == "UpToDate" }
        }
    }

    /// Takes a satellite's report into the resources' list entries and publishes them.
    func record(_ report: NodeReport, from node: ObjectKey) async {
        let cameBack = self.reportingNodes.insert(node).inserted
        var changed: Set<ResourceKey> = []
        var reported: Set<ResourceKey> = []
        var promotions: [ClusterEvent] = []
        for resource in report.resources {
            let key = ResourceKey(resource: ObjectKey(resource.name), node: node)
            reported.insert(key)
            if self.observations[key] != resource {
                if let drbd = resource.drbd, drbd.mayPromote != self.observations[key]?.drbd?.mayPromote,
                    let replica = self.committed.resources[key]
                {
                    promotions.append(.mayPromote(node: replica.nodeName, resource: replica.resourceName, mayPromote: drbd.mayPromote))
                }
                self.observations[key] = resource
                changed.insert(key)
            }
        }
        self.events.publish(promotions)
        for key in self.observations.keys where key.node == node && !reported.contains(key) {
            self.observations[key] = nil
            changed.insert(key)
        }
        if !changed.isEmpty {
            self.version += 1
            self.publish(model: self.committed, resources: changed, definitions: [])
        }
        // Snapshot reports matter only while a snapshot is being taken.
        self.snapshotReports[node] =
            self.working.snapshotsInProgress.isEmpty ? nil : Dictionary(report.snapshots.map { ($0.id, $0) }) { _, last in last }
        // Only what changed can have finished a rollback or a restore: a node's thousandth unchanged
        // replica costs nothing here.
        let changedReports = changed.compactMap { self.observations[$0] }
        let rollbacks = Dictionary(
            changedReports.compactMap { resource -> (ObjectKey, String)? in
                guard let id = resource.rolledBack, self.committed.resourceDefinitions[ObjectKey(resource.name)]?.rollback?.id == id else { return nil }
                return (ObjectKey(resource.name), id)
            }
        ) { _, last in last }
        let restored = Set(
            changedReports.filter { resource in
                resource.failure == nil && !resource.volumes.isEmpty && resource.volumes.allSatisfy { $0.devicePath != nil }
                    && self.committed.resources[ResourceKey(resource: ObjectKey(resource.name), node: node)]?.flags.contains(ResourceFlag.restoreFromSnapshot) == true
            }.map { ResourceKey(resource: ObjectKey($0.name), node: node) })
        if !rollbacks.isEmpty || !restored.isEmpty {
            _ = await self.mutate(CallContext(.modify, .resource), waitForSatellites: false) {
                (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                transaction.recordFinished(rollbacks: rollbacks, restored: restored, node: node)
                try transaction.finishClones()
                return []
            }
        }
        await self.advanceSnapshots()
        let initialized = Set(
            report.resources.filter { $0.drbd != nil }.flatMap { resource in
                resource.volumes.filter { $0.diskState == "UpToDate" }.map { DefinitionVolume(definition: ObjectKey(resource.name), number: $0.number) }
            }.filter { item in
                self.committed.resourceDefinitions[item.definition]?.volumeDefinitions[item.number].map {
                    !$0.flags.contains(VolumeDefinitionFlag.drbdInitialized)
                } ?? false
            })
        if !initialized.isEmpty {
            _ = await self.mutate(CallContext(.modify, .volumeDefinition), waitForSatellites: false) {
                (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                transaction.markDRBDInitialized(initialized)
            }
        }
        // Replicas whose LUKS headers now take a changed passphrase: the replaced ones may go.
        let rekeyed = Set(
            changedReports.filter { $0.volumes.contains { $0.luksGeneration != nil } }.map { ObjectKey($0.name) }.filter { key in
                self.committed.resourceDefinitions[key]?.volumeDefinitions.values.contains { $0.passphrase?.former.isEmpty == false } == true
            })
        if !rekeyed.isEmpty {
            _ = await self.mutate(CallContext(.modify, .volumeDefinition), waitForSatellites: false) {
                (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                transaction.dropFormerPassphrases(rekeyed)
                return []
            }
        }
        let migrated = Set(
            report.resources.filter(ClusterTransaction.isMigrationComplete)
                .map { ResourceKey(resource: ObjectKey($0.name), node: node) }.filter { self.committed.resources[$0]?.props[ClusterTransaction.migrateFromKey] != nil })
        if !migrated.isEmpty {
            _ = await self.mutate(CallContext(.delete, .resource), waitForSatellites: false) {
                (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                try transaction.finishMigrations(migrated)
            }
        }
        // Resources marked for deletion that the node no longer reports are gone there: finish them.
        let stillThere = Set(report.resources.map { ObjectKey($0.name) })
        let finished = Set(
            self.committed.resources(onNode: node)
                .filter { $0.flags.contains(ResourceFlag.delete) && !stillThere.contains($0.key.resource) }
                .map(\.key))
        if !finished.isEmpty {
            _ = await self.mutate(CallContext(.delete, .resource), waitForSatellites: false) {
                (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                transaction.finishDeletes(finished)
            }
        }
        // LINSTOR keeps the satellite's host name as the node's `NodeUname`; clients read it back.
        if cameBack, let hostname = self.satellites.hostname(of: node), self.committed.nodes[node]?.props[Node.unameKey] != hostname {
            _ = await self.mutate(CallContext(.modify, .node), waitForSatellites: false) {
                (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                transaction.recordHostname(hostname, of: node)
            }
        }
        // A node that came back, or a replica that finished leaving its node, can give a definition
        // without quorum protection its tie-breaker back.
        if cameBack || !finished.isEmpty {
            let replies = await self.mutate(CallContext(.modify, .resourceDefinition), waitForSatellites: false) {
                (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                try transaction.restoreQuorumProtection()
            }
            for reply in replies where reply.code.isError {
                self.logger.warning("quorum protection not restored", metadata: ["reason": "\(reply.message)"])
            }
        }
    }

    private func publish(model: ClusterModel, resources: Set<ResourceKey>, definitions: Set<ObjectKey>) {
        let previous = self.publisher.snapshot
        var resourceJSON = previous.resourceJSON
        var definitionJSON = previous.definitionJSON
        for key in resources { resourceJSON[key] = Self.encodeResource(key, in: model, observed: self.observations[key]) }
        for key in definitions { definitionJSON[key] = Self.encodeDefinition(key, in: model) }
        self.publisher.publish(
            ClusterSnapshot(
                version: self.version, model: model, resourceJSON: resourceJSON, definitionJSON: definitionJSON,
                order: ClusterSnapshot.SortedKeys(model: model)))
        guard self.events.hasSubscribers else { return }
        var events = previous.model.nodes == model.nodes ? [] : ClusterEvents.nodeEvents(from: previous.model.nodes.values, to: model.nodes.values)
        for key in resources.sorted() {
            if let json = resourceJSON[key] {
                events.append(.resource(key, json: json))
            } else if let gone = previous.model.resources[key] {
                events.append(.resourceDeleted(node: gone.nodeName, resource: gone.resourceName))
            }
        }
        self.events.publish(events)
    }

    /// Encodes every list entry and publishes them.
    ///
    /// At 30,000 resources this takes about half a second, so it runs after REST is up instead of
    /// delaying the start, and on one thread, so that requests keep a core; changes wait meanwhile,
    /// reads do not.
    func warmUp() {
        let model = self.committed
        let resources = model.resources.keys.compactMap { key in
            Self.encodeResource(key, in: model, observed: self.observations[key]).map { (key, $0) }
        }
        let definitions = model.resourceDefinitions.keys.compactMap { key in Self.encodeDefinition(key, in: model).map { (key, $0) } }
        self.version += 1
        self.publisher.publish(
            ClusterSnapshot(
                version: self.version, model: model, resourceJSON: TreeDictionary(uniqueKeysWithValues: resources),
                definitionJSON: TreeDictionary(uniqueKeysWithValues: definitions), order: ClusterSnapshot.SortedKeys(model: model)))
    }

    static func encodeResource(_ key: ResourceKey, in model: ClusterModel, observed: ResourceReport? = nil) -> Data? {
        guard let resource = model.resources[key], let definition = model.resourceDefinitions[key.resource] else { return nil }
        var dto = WireMapper.resource(resource, definition: definition) { pool in
            model.storagePools[StoragePoolKey(node: key.node, pool: ObjectKey(pool))]
        }
        if let observed { WireMapper.applyObserved(observed, to: &dto) }
        if resource.flags.contains(ResourceFlag.delete), resource.drbd != nil, observed?.drbd == nil {
            WireMapper.markLeaving(&dto, peers: model.resources(ofDefinition: key.resource).filter { $0.key != key }.map(\.nodeName))
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

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
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
