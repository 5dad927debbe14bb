import DepotModel
import DepotWire
import HashTreeCollections

/// Turning a DRBD replica into a client and back, and migrating a disk to another node.
extension ClusterTransaction {
    /// Property on the new diskful replica naming the node whose replica goes once this one is complete.
    static let migrateFromKey = "Internal/Drbd/MigrateFrom"

    /// `PUT .../toggle-disk`: the replica keeps its DRBD identity; only its disk comes or goes.
    ///
    /// A new disk starts Inconsistent and syncs from its peers; with `migrateFrom`, the replica on
    /// that node is deleted only once every volume here is UpToDate and in sync with its peers.
    mutating func toggleDisk(_ resourceName: String, _ nodeName: String, _ toggle: DiskToggle, migrateFrom: String? = nil) throws(DepotError) -> [Reply] {
        var resource = try self.model.resource(resourceName, on: nodeName)
        let definition = try self.model.resourceDefinition(resource.resourceName)
        let node = try self.model.node(resource.nodeName)
        let references = ["RscDfn": resource.resourceName, "Node": resource.nodeName]
        guard resource.layerStack.first == .drbd, resource.drbd != nil else {
            throw DepotError(
                .failInvalidLayerStack, "Resource '\(resource.resourceName)' on node '\(resource.nodeName)' has no DRBD layer.",
                cause: "Only DRBD replicas can run without a local disk.", objectReferences: references)
        }
        guard !resource.flags.contains(ResourceFlag.delete) else {
            throw DepotError(.failInUse, "Resource '\(resource.resourceName)' on node '\(resource.nodeName)' is being deleted.", objectReferences: references)
        }
        var migrationSource: Resource?
        if let migrateFrom {
            migrationSource = try self.model.resource(resource.resourceName, on: migrateFrom)
            guard let source = migrationSource, !source.isDiskless, source.key != resource.key else {
                throw DepotError(
                    .failInvalidRequest, "Cannot migrate the disk of '\(resource.resourceName)' from node '\(migrateFrom)'.",
                    cause: "The replica there must have a disk and be on another node.", objectReferences: references)
            }
            // Mirrors CtrlRscToggleDiskApiCallHandler: the replica that goes must not be in use.
            try self.ensureNotInUse(source, "migrated away")
        }
        switch toggle {
        case .diskless(let requestedPool):
            guard !resource.isDiskless else {
                return [Reply(.warnNoEffect, "Resource '\(resource.resourceName)' on node '\(resource.nodeName)' is already diskless.", objectReferences: references)]
            }
            let pool = try self.model.storagePool(requestedPool ?? DefaultStoragePool.diskless, on: node.name)
            guard pool.providerKind == .diskless else {
                throw DepotError(
                    .failInvalidStorageDriver, "Storage pool '\(pool.name)' on node '\(node.name)' is not diskless.", objectReferences: ["Node": node.name, "StorPool": pool.name])
            }
            let remainingDiskful = self.model.resources(ofDefinition: definition.key).filter {
                !$0.isDiskless && $0.key != resource.key && !$0.flags.contains(ResourceFlag.delete)
            }
            guard !remainingDiskful.isEmpty else {
                throw DepotError(
                    .failInUse, "Resource '\(resource.resourceName)' on node '\(resource.nodeName)' holds the last disk of its data.",
                    cause: "Without a disk no replica would keep the data.", correction: "Add a diskful replica elsewhere first.", objectReferences: references)
            }
            try self.ensureNotInUse(resource, "made diskless")
            try self.ensureNotOnlyUpToDate(resource, "made diskless")
            resource.flags.formUnion([ResourceFlag.diskless, ResourceFlag.drbdDiskless])
            resource.flags.remove(ResourceFlag.tieBreaker)
            for number in resource.volumes.keys { resource.volumes[number]?.storagePoolName = pool.name }
        case .diskful(let requestedPool):
            guard resource.isDiskless else {
                return [Reply(.warnNoEffect, "Resource '\(resource.resourceName)' on node '\(resource.nodeName)' already has a disk.", objectReferences: references)]
            }
            var candidate = resource
            candidate.flags.subtract([ResourceFlag.diskless, ResourceFlag.drbdDiskless, ResourceFlag.tieBreaker])
            if let requestedPool { candidate.props["StorPoolName"] = requestedPool }
            let poolName = try self.storagePoolName(for: candidate, definition: definition)
            candidate.props = resource.props
            let pool = try self.model.storagePool(poolName, on: node.name)
            guard pool.providerKind.hasBackingStorage else {
                throw DepotError(
                    .failInvalidStorageDriver, "Storage pool '\(pool.name)' on node '\(node.name)' is diskless.", objectReferences: ["Node": node.name, "StorPool": pool.name])
            }
            try self.requireSupport(on: node, layers: resource.layerStack, provider: pool.providerKind)
            for number in candidate.volumes.keys { candidate.volumes[number]?.storagePoolName = pool.name }
            if let migrationSource { candidate.props[Self.migrateFromKey] = migrationSource.nodeName }
            resource = candidate
        }
        self.put(resource)
        let into = resource.isDiskless ? "diskless" : "diskful"
        return [Reply(.modified, "Resource '\(resource.resourceName)' on node '\(resource.nodeName)' is being toggled to \(into).", objectReferences: references)]
            + (try self.updateDRBDAutomation(of: definition.key))
    }

    /// Finishes disk migrations whose new replica is complete (``isMigrationComplete(_:)``): the old
    /// replica is deleted, once nothing uses it (LINSTOR's waitForMigration); until then it waits.
    mutating func finishMigrations(_ complete: Set<ResourceKey>) throws(DepotError) -> [Reply] {
        var replies: [Reply] = []
        for key in complete.sorted() {
            guard var resource = self.model.resources[key], let source = resource.props[Self.migrateFromKey] else { continue }
            let old = self.model.resources[ResourceKey(resource: key.resource, node: ObjectKey(source))]
            if let old, self.observed(old.key)?.drbd?.inUse == true { continue }
            resource.props[Self.migrateFromKey] = nil
            self.put(resource)
            if old != nil {
                replies += try self.deleteResource(resource.resourceName, source)
            }
        }
        return replies
    }
}
