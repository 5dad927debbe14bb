import DepotModel
import HashTreeCollections

extension ClusterTransaction {
    /// `POST .../snapshot-restore-volume-definition/{s}`: the target definition gets the snapshot's
    /// volume definitions (number, size, properties).
    mutating func restoreVolumeDefinitions(_ resourceName: String, _ snapshotName: String, to targetName: String?) throws(DepotError) -> [Reply] {
        let snapshot = try self.usableSnapshot(snapshotName, of: resourceName)
        var target = try self.model.resourceDefinition(Lookup.validName(targetName, .resource))
        if let number = snapshot.volumes.keys.sorted().first(where: { target.volumeDefinitions[$0] != nil }) {
            throw DepotError(
                .failExistsVolumeDefinition, "A volume definition with the number \(number) already exists in resource definition '\(target.name)'.",
                cause: "Restoring volume definitions from a snapshot creates each with the snapshot's volume number.",
                correction: "Restore into a new, empty resource definition, or delete its volume definition \(number) first.",
                objectReferences: ["RscDfn": target.name, "VlmNr": String(number)])
        }
        guard (self.model.resourcesByDefinition[target.key] ?? []).isEmpty else { throw Self.targetDeployed(target) }
        try self.addRestoredVolumeDefinitions(
            snapshot.volumes.values.map { volume in
                var restored = VolumeDefinition(number: volume.number, sizeKiB: volume.sizeKiB, props: volume.volumeDefinitionProps, uuid: "")
                restored.passphrase = volume.passphrase
                return restored
            }, to: &target)
        self.put(target)
        return [
            Reply(
                .created, "Volume definitions of resource definition '\(target.name)' restored from resource '\(snapshot.resourceName)', snapshot '\(snapshot.name)'.",
                details: "Volume numbers: " + snapshot.volumes.keys.sorted().map(String.init).joined(separator: ", "), objectReferences: ["RscDfn": target.name])
        ]
    }

    /// `POST .../snapshot-restore-resource/{s}`: replicas of the target definition on the snapshot's
    /// nodes (or the named ones), their volumes made from the snapshot, their DRBD metadata reused.
    ///
    /// - Parameters:
    ///   - poolRenames: LINSTOR's `stor_pool_rename`, old pool name → new (`*`: every pool). A volume
    ///     restored into another pool than its snapshot's is a copy of the snapshot's data.
    ///   - nodePools: node name → the pool for all volumes there (a clone's choice), before renames.
    mutating func restoreResources(
        _ resourceName: String, _ snapshotName: String, to targetName: String?, nodes: [String], poolRenames: [String: String] = [:],
        nodePools: [String: String] = [:]
    ) throws(DepotError) -> [Reply] {
        let snapshot = try self.usableSnapshot(snapshotName, of: resourceName)
        var target = try self.model.resourceDefinition(Lookup.validName(targetName, .resource))
        guard (self.model.resourcesByDefinition[target.key] ?? []).isEmpty else { throw Self.targetDeployed(target) }
        var replies: [Reply] = []
        if target.volumeDefinitions.isEmpty {
            replies += try self.restoreVolumeDefinitions(resourceName, snapshotName, to: target.name)
            target = try self.model.resourceDefinition(target.name)
        }
        for volume in snapshot.volumes.values {
            guard let own = target.volumeDefinitions[volume.number] else {
                throw DepotError(
                    .failNotFoundVolumeDefinition, "Resource definition '\(target.name)' has no volume definition \(volume.number) for the snapshot's volume \(volume.number).",
                    correction: "Create volume definition \(volume.number) of at least \(volume.sizeKiB) KiB, or restore the volume definitions from the snapshot.",
                    objectReferences: ["RscDfn": target.name, "VlmNr": String(volume.number)])
            }
            guard own.sizeKiB == volume.sizeKiB else {
                throw DepotError(
                    .failInvalidVolumeSize,
                    "Snapshot size does not match for volume number \(volume.number); snapshot size: \(volume.sizeKiB)KiB, required size: \(own.sizeKiB)KiB",
                    cause: "A restored volume keeps its layers' metadata where the snapshot had it, at the end of the volume.",
                    correction: "Give volume definition \(volume.number) of '\(target.name)' \(volume.sizeKiB) KiB (grow it after the restore if needed).",
                    objectReferences: ["RscDfn": target.name, "VlmNr": String(volume.number)])
            }
            if target.layerStack.contains(.drbd), !own.flags.contains(VolumeDefinitionFlag.drbdInitialized) {
                target.volumeDefinitions[volume.number]?.flags.insert(VolumeDefinitionFlag.drbdInitialized)
            }
        }
        guard target.layerStack == snapshot.layerStack else {
            throw DepotError(
                .failInvalidLayerStack,
                "Resource definition '\(target.name)' has the layers \(Self.layers(target.layerStack)), the snapshot \(Self.layers(snapshot.layerStack)).",
                cause: "A restored volume holds the layers' data (DRBD metadata) as the snapshot took it.",
                correction: "Create the target resource definition with --layer-list \(Self.layers(snapshot.layerStack)).", objectReferences: ["RscDfn": target.name])
        }
        self.put(target)
        let chosen = nodes.isEmpty ? snapshot.nodes.values.map(\.nodeName).sorted() : nodes
        for nodeName in chosen {
            guard let onNode = snapshot.node(nodeName) else {
                throw DepotError(
                    .failNotFoundSnapshotDefinition, "Snapshot '\(snapshot.name)' of resource '\(snapshot.resourceName)' was not taken on node '\(nodeName)'.",
                    correction: "Restore on nodes the snapshot was taken on: " + snapshot.nodes.keys.sorted().joined(separator: ", ") + ".",
                    objectReferences: ["RscDfn": snapshot.resourceName, "Snapshot": snapshot.name, "Node": nodeName])
            }
            var pools = onNode.storagePools
            for (number, pool) in pools {
                guard let renamed = nodePools[onNode.nodeName] ?? poolRenames[pool] ?? poolRenames["*"], ObjectKey(renamed) != ObjectKey(pool) else { continue }
                let target = try self.model.storagePool(renamed, on: onNode.nodeName)
                guard target.providerKind.hasBackingStorage else {
                    throw DepotError(
                        .failInvalidRequest, "Storage pool '\(target.name)' on node '\(onNode.nodeName)' is diskless and cannot hold volume \(number) of the snapshot.",
                        correction: "Name a pool with storage, or restore without renaming pool '\(pool)'.",
                        objectReferences: ["Node": onNode.nodeName, "StorPool": target.name])
                }
                pools[number] = target.name
            }
            var request = NewResource(nodeName: onNode.nodeName)
            if let pool = pools.sorted(by: { $0.key < $1.key }).first?.value { request.props = ["StorPoolName": pool] }
            request.layerStack = snapshot.layerStack.map(\.rawValue)
            request.drbdNodeID = onNode.drbdNodeID
            replies += try self.createResource(definition: self.model.resourceDefinition(target.name), request)
            var resource = try self.model.resource(target.name, on: onNode.nodeName)
            resource.flags.insert(ResourceFlag.restoreFromSnapshot)
            for number in resource.volumes.keys where snapshot.volumes[number] != nil {
                // The restored volume lives where its snapshot is.
                if let pool = pools[number] { resource.volumes[number]?.storagePoolName = pool }
                resource.volumes[number]?.props[Volume.restoreFromResourceKey] = snapshot.resourceName
                resource.volumes[number]?.props[Volume.restoreFromSnapshotKey] = snapshot.name
            }
            self.put(resource)
        }
        try self.checkPeerSlots(target.key)
        replies.append(
            Reply(
                .created, "Resource '\(target.name)' on nodes '\(chosen.joined(separator: ", "))' restored from resource '\(snapshot.resourceName)', snapshot '\(snapshot.name)'.",
                objectReferences: ["RscDfn": target.name]))
        return replies + (try self.updateDRBDAutomation(of: target.key))
    }

    /// `POST .../snapshot-rollback/{s}`: every replica puts its volumes back to the snapshot, with
    /// DRBD down meanwhile. Refused where data would be lost or the result inconsistent.
    mutating func rollback(_ resourceName: String, to snapshotName: String) throws(DepotError) -> [Reply] {
        var definition = try self.model.resourceDefinition(resourceName)
        let snapshot = try self.usableSnapshot(snapshotName, of: resourceName)
        let references = ["RscDfn": definition.name, "Snapshot": snapshot.name]
        guard definition.rollback == nil else { throw Self.rollbackInProgress(definition) }
        if let busy = self.model.snapshots(of: definition.key).first(where: { $0.phase != nil }) {
            throw DepotError(
                .failInUse, "Snapshot '\(busy.name)' of resource definition '\(definition.name)' is being taken.",
                correction: "Wait until it finished, then roll back.", objectReferences: references)
        }
        let replicas = self.model.resources(ofDefinition: definition.key)
        guard !replicas.isEmpty else {
            throw DepotError(
                .failNotFoundResource, "Resource definition '\(definition.name)' has no replicas to roll back.",
                correction: "Restore the snapshot into a resource definition instead ('snapshot resource restore').", objectReferences: references)
        }
        for resource in replicas {
            if resource.flags.contains(ResourceFlag.delete) {
                throw DepotError(
                    .failInUse, "The replica of '\(definition.name)' on node '\(resource.nodeName)' is being deleted.",
                    correction: "Wait until it is gone, then roll back.", objectReferences: references.merging(["Node": resource.nodeName]) { a, _ in a })
            }
            // Diskless replicas (clients, tie-breakers) have nothing to roll back: they go down with
            // the others and come back with them.
            guard resource.isDiskless || snapshot.node(resource.nodeName) != nil else {
                throw DepotError(
                    .failNotFoundSnapshotDefinition, "Snapshot '\(snapshot.name)' was not taken on node '\(resource.nodeName)', which has a replica of '\(definition.name)'.",
                    cause: "That replica would keep the data of now while the others go back to the snapshot.",
                    correction: "Delete the replica on '\(resource.nodeName)' ('resource delete \(resource.nodeName) \(definition.name)'), then roll back.",
                    objectReferences: references.merging(["Node": resource.nodeName]) { a, _ in a })
            }
            guard self.isOnline(resource.key.node) else { throw Self.notConnected(resource) }
            try self.ensureNotInUse(resource, "rolled back")
        }
        for volume in definition.volumeDefinitions.values where snapshot.volumes[volume.number] == nil {
            throw DepotError(
                .failInvalidRequest, "Volume \(volume.number) of '\(definition.name)' did not exist when snapshot '\(snapshot.name)' was taken.",
                correction: "Delete volume definition \(volume.number) first.", objectReferences: references)
        }
        definition.rollback = PendingRollback(snapshot: snapshot.name, id: Identifier.makeUUID(), waitingFor: Set(replicas.map(\.nodeName)))
        // The volumes go back to the snapshot's sizes.
        for volume in snapshot.volumes.values { definition.volumeDefinitions[volume.number]?.sizeKiB = volume.sizeKiB }
        self.put(definition)
        return [
            Reply(
                .modified, "Rolling back resource '\(definition.name)' to snapshot '\(snapshot.name)'.",
                details: "Nodes: " + replicas.map(\.nodeName).sorted().joined(separator: ", "), objectReferences: references)
        ]
    }

    /// Volume definitions whose data comes from a snapshot (a restore, a clone): the given numbers,
    /// sizes, properties and flags, new identities and minors, and DRBD-initialised, as the snapshot
    /// carries DRBD's metadata (the replicas start from it, not from an initial sync).
    mutating func addRestoredVolumeDefinitions(_ volumes: [VolumeDefinition], to target: inout ResourceDefinition) throws(DepotError) {
        for volume in volumes.sorted(by: { $0.number < $1.number }) {
            var restored = VolumeDefinition(number: volume.number, sizeKiB: volume.sizeKiB, props: volume.props, flags: volume.flags, uuid: Identifier.makeUUID())
            restored.flags.remove(VolumeDefinitionFlag.drbdInitialized)
            // The copied LUKS headers take the source's passphrase.
            restored.passphrase = volume.passphrase
            if target.layerStack.contains(.drbd) {
                restored.drbdMinor = try self.model.allocateMinor(requested: nil, alsoExcluding: Set(target.volumeDefinitions.values.compactMap(\.drbdMinor)))
                restored.flags.insert(VolumeDefinitionFlag.drbdInitialized)
            }
            target.volumeDefinitions[volume.number] = restored
        }
    }

    /// A successful snapshot, or why it cannot be used.
    private func usableSnapshot(_ name: String, of resourceName: String) throws(DepotError) -> SnapshotDefinition {
        let snapshot = try self.model.snapshot(name, of: resourceName)
        guard snapshot.isSuccessful else {
            throw DepotError(
                .failUnknownError, "Unable to use failed snapshot",
                cause: snapshot.failure ?? "It is still being taken.", correction: "Use a snapshot that 'snapshot list' shows Successful.",
                objectReferences: ["RscDfn": snapshot.resourceName, "Snapshot": snapshot.name])
        }
        return snapshot
    }

    private static func targetDeployed(_ target: ResourceDefinition) -> DepotError {
        DepotError(
            .failExistsResource, "Cannot restore to resource definition which already has resources",
            cause: "A snapshot is restored only into a resource definition without resources.",
            correction: "Create a new resource definition to restore into.", objectReferences: ["RscDfn": target.name])
    }

    private static func layers(_ stack: [LayerKind]) -> String { stack.map { $0.rawValue.lowercased() }.joined(separator: ",") }
}
