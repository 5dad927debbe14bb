import DepotModel
import HashTreeCollections

/// A snapshot to take: LINSTOR's snapshot create body.
struct NewSnapshot: Sendable {
    var name: String?
    /// Empty: every node with a diskful replica.
    var nodes: [String] = []
    var props: [String: String] = [:]
    var flags: Set<String> = []
    /// Snapshots of several definitions taken together (`/v1/actions/snapshot/multi`).
    var group: String?
    /// The clone it is taken for: thick LVM and FILE volumes are snapshotted too, to be copied.
    var clone: String?
}

extension ClusterTransaction {
    /// `POST .../snapshots`: registers the snapshot and starts taking it (DRBD suspends I/O on every
    /// replica first); ``ClusterState`` moves it through its phases as the satellites report.
    mutating func createSnapshot(_ resourceName: String, _ request: NewSnapshot) throws(DepotError) -> [Reply] {
        let definition = try self.model.resourceDefinition(resourceName)
        let name = try Lookup.validName(request.name, .snapshot)
        let key = SnapshotKey(resource: definition.key, snapshot: ObjectKey(name))
        guard self.model.snapshots[key] == nil else {
            throw DepotError(
                .failExistsSnapshotDefinition, "A snapshot definition with the name '\(name)' already exists in resource definition '\(definition.name)'.",
                objectReferences: ["RscDfn": definition.name, "Snapshot": name])
        }
        if let busy = self.model.snapshots(of: definition.key).first(where: { $0.phase != nil }) {
            throw DepotError(
                .failInUse, "Snapshot '\(busy.name)' of resource definition '\(definition.name)' is still being taken.",
                cause: "Only one snapshot of a resource definition is taken at a time.", correction: "Wait until 'snapshot list' shows it finished, then try again.",
                objectReferences: ["RscDfn": definition.name, "Snapshot": busy.name])
        }
        guard definition.rollback == nil else { throw Self.rollbackInProgress(definition) }
        guard !definition.volumeDefinitions.isEmpty else {
            throw DepotError(
                .failNotFoundVolumeDefinition, "Resource definition '\(definition.name)' has no volume definitions to take a snapshot of.",
                objectReferences: ["RscDfn": definition.name])
        }
        let replicas = self.model.resources(ofDefinition: definition.key).filter { !$0.flags.contains(ResourceFlag.delete) }
        var chosen: [Resource] = []
        if request.nodes.isEmpty {
            chosen = replicas.filter { !$0.isDiskless && !$0.flags.contains(ResourceFlag.inactive) }
        } else {
            for nodeName in request.nodes {
                let node = try self.model.node(nodeName)
                guard let resource = replicas.first(where: { $0.key.node == node.key }) else {
                    throw DepotError(
                        .failNotFoundResource, "Resource '\(definition.name)' not found on node '\(node.name)'.",
                        cause: "A snapshot is taken of a node's replica; '\(node.name)' has none.", correction: "Name nodes that have a replica of '\(definition.name)'.",
                        objectReferences: ["RscDfn": definition.name, "Node": node.name])
                }
                guard !resource.isDiskless else {
                    throw DepotError(
                        .failSnapshotsNotSupported, "Cannot create snapshot from diskless resource on node '\(node.name)'.",
                        cause: "A diskless replica has no storage to take a snapshot of.", correction: "Name nodes with a diskful replica.",
                        objectReferences: ["RscDfn": definition.name, "Node": node.name])
                }
                if !chosen.contains(where: { $0.key == resource.key }) { chosen.append(resource) }
            }
        }
        guard !chosen.isEmpty else {
            throw DepotError(
                .failNotFoundResource, "Resource definition '\(definition.name)' has no diskful replica to take a snapshot of.",
                correction: "Create a resource with storage first.", objectReferences: ["RscDfn": definition.name])
        }
        var snapshot = SnapshotDefinition(resourceName: definition.name, name: name, layerStack: definition.layerStack, uuid: Identifier.makeUUID())
        _ = try PropertyChange(overrideProps: request.props).apply(to: &snapshot.props, owner: .resourceDefinition)
        snapshot.flags = request.flags
        snapshot.group = request.group
        snapshot.clone = request.clone
        snapshot.resourceDefinitionProps = definition.props
        for volume in definition.volumeDefinitions.values {
            snapshot.volumes[volume.number] = SnapshotVolumeDefinition(number: volume.number, sizeKiB: volume.sizeKiB, volumeDefinitionProps: volume.props)
            snapshot.volumes[volume.number]?.passphrase = volume.passphrase
        }
        for resource in chosen {
            guard self.isOnline(resource.key.node) else { throw Self.notConnected(resource) }
            var pools: [Int: String] = [:]
            for volume in resource.volumes.values {
                let pool = try self.model.storagePool(volume.storagePoolName, on: resource.nodeName)
                guard pool.providerKind.supportsSnapshots || (request.clone != nil && pool.providerKind.hasBackingStorage) else {
                    throw DepotError(
                        .failSnapshotsNotSupported, "Storage pool '\(pool.name)' on node '\(resource.nodeName)' (\(pool.providerKind.rawValue)) does not support snapshots.",
                        cause: "Used for volume \(volume.number) of resource '\(definition.name)' on '\(resource.nodeName)'.",
                        correction: "Snapshots need an LVM_THIN, ZFS, ZFS_THIN or FILE_THIN pool.",
                        objectReferences: ["RscDfn": definition.name, "Node": resource.nodeName, "StorPool": pool.name])
                }
                pools[volume.number] = pool.name
            }
            snapshot.nodes[resource.nodeName] = SnapshotOnNode(
                nodeName: resource.nodeName, createTimestamp: self.now, storagePools: pools, drbdNodeID: resource.drbd?.nodeID, uuid: Identifier.makeUUID())
        }
        // Every active DRBD replica holds I/O while the snapshot is taken: a Primary anywhere writes to all disks.
        for resource in self.model.activeDRBDReplicas(ofDefinition: definition.key) where !self.isOnline(resource.key.node) {
            throw Self.notConnected(resource)
        }
        snapshot.phase = .suspending
        self.put(snapshot)
        return [
            Reply(
                .created, "New snapshot '\(name)' of resource '\(definition.name)' registered.",
                details: "Snapshot '\(name)' of resource '\(definition.name)' UUID is: \(snapshot.uuid)",
                objectReferences: ["RscDfn": definition.name, "Snapshot": name])
        ]
    }

    /// `DELETE .../snapshots/{s}[?nodes=]`: the snapshot leaves the named nodes, or all of them.
    mutating func deleteSnapshot(_ resourceName: String, _ name: String, nodes: [String]) throws(DepotError) -> [Reply] {
        let references = ["RscDfn": resourceName, "Snapshot": name]
        guard let snapshot = self.model.snapshots[SnapshotKey(resource: ObjectKey(resourceName), snapshot: ObjectKey(name))] else {
            return [
                Reply(
                    .warnNotFound, "Snapshot definition \(name) of resource \(resourceName) not found.", cause: "It does not exist (any more); nothing was deleted.",
                    objectReferences: references)
            ]
        }
        guard snapshot.phase == nil || snapshot.phase == .aborting else {
            throw DepotError(
                .failInUse, "Snapshot '\(snapshot.name)' of resource '\(snapshot.resourceName)' is still being taken.",
                correction: "Wait until 'snapshot list' shows it finished, then delete it.", objectReferences: references)
        }
        if let definition = self.model.resourceDefinitions[snapshot.key.resource], definition.rollback?.snapshot == snapshot.name {
            throw Self.rollbackInProgress(definition)
        }
        try self.ensureNoRestoreNeeds(snapshot)
        var remaining = snapshot
        for nodeName in nodes {
            guard let entry = snapshot.node(nodeName) else {
                throw DepotError(
                    .failNotFoundSnapshotDefinition, "Snapshot '\(snapshot.name)' of resource '\(snapshot.resourceName)' not found on node '\(nodeName)'.",
                    objectReferences: references)
            }
            remaining.nodes[entry.nodeName] = nil
        }
        if nodes.isEmpty || remaining.nodes.isEmpty {
            self.removeSnapshot(snapshot.key)
        } else {
            self.put(remaining)
        }
        return [
            Reply(
                .deleted, "Snapshot '\(snapshot.name)' of resource '\(snapshot.resourceName)' deleted.",
                details: "Snapshot '\(snapshot.name)' of resource '\(snapshot.resourceName)' UUID was: \(snapshot.uuid)", objectReferences: references)
        ]
    }

    /// `PUT .../snapshots/{s}`: properties of the snapshot definition.
    mutating func modifySnapshot(_ resourceName: String, _ name: String, _ change: PropertyChange) throws(DepotError) -> [Reply] {
        var snapshot = try self.model.snapshot(name, of: resourceName)
        let missing = try change.apply(to: &snapshot.props, owner: .resourceDefinition)
        self.put(snapshot)
        return [
            Reply(
                .modified, "Snapshot '\(snapshot.name)' of resource '\(snapshot.resourceName)' modified.",
                objectReferences: ["RscDfn": snapshot.resourceName, "Snapshot": snapshot.name])
        ] + missing.map { Reply(.warnDeleteUnsetProperty, "Property '\($0)' was not set on snapshot '\(snapshot.name)'.") }
    }

    /// A restore that has not finished reads the snapshot: it must stay until the volumes exist.
    private func ensureNoRestoreNeeds(_ snapshot: SnapshotDefinition) throws(DepotError) {
        for resource in self.model.resources.values where resource.flags.contains(ResourceFlag.restoreFromSnapshot) {
            let sources = resource.volumes.values.filter {
                $0.props[Volume.restoreFromSnapshotKey] == snapshot.name
                    && ObjectKey($0.props[Volume.restoreFromResourceKey] ?? "") == snapshot.key.resource
            }
            guard sources.isEmpty else {
                throw DepotError(
                    .failInUse,
                    "Snapshot '\(snapshot.name)' of resource '\(snapshot.resourceName)' is still being restored to resource '\(resource.resourceName)' on node '\(resource.nodeName)'.",
                    correction: "Wait until the restored resource is deployed, then delete the snapshot.",
                    objectReferences: ["RscDfn": snapshot.resourceName, "Snapshot": snapshot.name])
            }
        }
    }

    static func notConnected(_ resource: Resource) -> DepotError {
        DepotError(
            .failNotConnected, "No active connection to satellite '\(resource.nodeName)'.",
            cause: "Every replica of '\(resource.resourceName)' takes part in a snapshot: DRBD holds I/O on all of them while it is taken.",
            correction: "Bring the node back online, or remove its replica, then try again.",
            objectReferences: ["RscDfn": resource.resourceName, "Node": resource.nodeName])
    }

    static func rollbackInProgress(_ definition: ResourceDefinition) -> DepotError {
        DepotError(
            .failInUse, "Resource definition '\(definition.name)' is being rolled back to snapshot '\(definition.rollback?.snapshot ?? "")'.",
            correction: "Wait until the rollback finished ('resource list' shows the replicas back), then try again.",
            objectReferences: ["RscDfn": definition.name])
    }
}

extension ClusterModel {
    func snapshot(_ name: String, of resourceName: String) throws(DepotError) -> SnapshotDefinition {
        guard let snapshot = self.snapshots[SnapshotKey(resource: ObjectKey(resourceName), snapshot: ObjectKey(name))] else {
            throw DepotError(
                .failNotFoundSnapshotDefinition, "Snapshot '\(name)' of resource '\(resourceName)' not found.",
                cause: "The resource definition '\(resourceName)' has no snapshot named '\(name)'.", correction: "'snapshot list' shows the snapshots.",
                objectReferences: ["RscDfn": resourceName, "Snapshot": name])
        }
        return snapshot
    }

    /// The definition's snapshots, in name order.
    func snapshots(of definition: ObjectKey) -> [SnapshotDefinition] {
        (self.snapshotsByDefinition[definition] ?? []).sorted().compactMap { self.snapshots[$0] }
    }

    /// The snapshots kept on (or being taken on) a node.
    func snapshots(onNode node: ObjectKey) -> [SnapshotDefinition] {
        (self.snapshotsByNode[node] ?? []).sorted().compactMap { self.snapshots[$0] }
    }
}
