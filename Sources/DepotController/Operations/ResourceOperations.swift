import DepotModel
import HashTreeCollections

extension ClusterTransaction {
    /// `POST .../resources`: places replicas on named nodes, allocating DRBD node-ids and ports.
    mutating func createResources(_ resourceName: String, _ requests: [NewResource]) throws(DepotError) -> [Reply] {
        let definition = try self.model.resourceDefinition(resourceName)
        guard !requests.isEmpty else {
            throw DepotError(.failInvalidRequest, "No resource to create was given.", correction: "Name at least one node.")
        }
        var replies: [Reply] = []
        for request in requests {
            replies += try self.createResource(definition: self.model.resourceDefinition(definition.name), request)
        }
        try self.checkPeerSlots(definition.key)
        return replies + (try self.updateDRBDAutomation(of: definition.key))
    }

    mutating func createResource(definition: ResourceDefinition, _ request: NewResource) throws(DepotError) -> [Reply] {
        let nodeName = try Lookup.validName(request.nodeName, .node)
        let node = try self.model.node(nodeName)
        guard node.type.runsSatellite else {
            throw DepotError(
                .failInvalidNodeType, "Node '\(node.name)' of type \(node.type.rawValue) cannot hold resources.",
                correction: "Place resources on SATELLITE or COMBINED nodes.", objectReferences: ["Node": node.name])
        }
        guard !node.flags.contains(NodeFlag.evacuate) else {
            throw DepotError(
                .failEvacuating, "Node '\(node.name)' is being evacuated. No new resources allowed on this node.",
                correction: "Choose another node, or end the evacuation with 'node restore \(node.name)'.", objectReferences: ["Node": node.name])
        }
        let key = ResourceKey(resource: definition.key, node: node.key)
        guard !definition.flags.contains(ResourceFlag.delete) else {
            throw DepotError(
                .failInUse, "Resource definition '\(definition.name)' is being deleted.",
                cause: "Its resources are still being removed from their nodes.", correction: "Wait until it is gone, then create it again.",
                objectReferences: ["RscDfn": definition.name])
        }
        if let existing = self.model.resources[key] {
            guard existing.flags.contains(ResourceFlag.delete) else {
                throw DepotError(
                    .failExistsResource, "A resource with the name '\(definition.name)' already exists on node '\(node.name)'.",
                    objectReferences: ["RscDfn": definition.name, "Node": node.name])
            }
            let online = self.isOnline(node.key)
            throw DepotError(
                .failExistsResource, "The resource '\(definition.name)' on node '\(node.name)' is still being deleted.",
                cause: online
                    ? "The satellite of '\(node.name)' has not yet reported the replica gone; 'resource list' shows its state and any error."
                    : "Node '\(node.name)' is offline; the replica is removed when its satellite comes back and confirms.",
                correction: online
                    ? "Wait until the replica is gone, then create it again."
                    : "Bring the node back online, or declare it lost ('node lost \(node.name)') if it will not return.",
                objectReferences: ["RscDfn": definition.name, "Node": node.name])
        }
        var flags: Set<String> = []
        for flag in request.flags {
            let upper = flag.uppercased()
            guard ResourceFlag.creatable.contains(upper) else {
                throw DepotError(.failInvalidRequest, "Invalid resource flag '\(flag)'.", correction: "Use " + ResourceFlag.creatable.sorted().joined(separator: ", ") + ".")
            }
            guard upper != ResourceFlag.nvmeInitiator, upper != ResourceFlag.ebsInitiator else {
                throw DepotError(.failInvalidLayerKind, "The flag \(upper) needs a layer Depot does not provide.")
            }
            flags.insert(upper)
        }
        if request.isDRBDClient { flags.insert(ResourceFlag.drbdDiskless) }
        var stack = try request.layerStack.flatMap { $0.isEmpty ? nil : $0 }.map { list throws(DepotError) in try LayerStack.parse(list) } ?? definition.layerStack
        // `--encrypt` volumes: LINSTOR's default stack gets the LUKS layer above storage.
        if request.layerStack?.isEmpty ?? true, !stack.contains(.luks),
            definition.volumeDefinitions.values.contains(where: { $0.flags.contains(VolumeDefinitionFlag.encrypted) })
        {
            stack.insert(.luks, at: stack.count - 1)
        }
        if flags.contains(ResourceFlag.drbdDiskless) {
            guard stack.first == .drbd else {
                throw DepotError(
                    .failInvalidLayerStack, "A DRBD diskless resource needs the DRBD layer.",
                    cause: "The layer stack of '\(definition.name)' is \(stack.map { $0.rawValue.lowercased() }.joined(separator: ",")).")
            }
            flags.insert(ResourceFlag.diskless)
        }
        if flags.contains(ResourceFlag.diskless), stack.first == .drbd { flags.insert(ResourceFlag.drbdDiskless) }
        var props: [String: String] = [:]
        _ = try PropertyChange(overrideProps: request.props).apply(to: &props, owner: .resource)
        var resource = Resource(
            resourceName: definition.name, nodeName: node.name, props: props, flags: flags, layerStack: stack,
            createTimestamp: self.now, uuid: request.uuid ?? Identifier.makeUUID())
        let pool = try self.storagePool(for: resource, definition: definition, on: node)
        try self.requireSupport(
            on: node, layers: resource.isDiskless ? stack.filter { $0 == .drbd } : stack, provider: resource.isDiskless ? nil : pool.providerKind)
        for number in definition.volumeDefinitions.keys.sorted() {
            resource.volumes[number] = Volume(number: number, storagePoolName: pool.name, uuid: Identifier.makeUUID())
        }
        if stack.contains(.drbd), let drbdDefinition = definition.drbd {
            let nodeID = try self.model.allocateNodeID(for: definition, requested: request.drbdNodeID)
            let count = request.drbdTCPPortCount ?? request.drbdTCPPorts?.count ?? 1
            guard (1...8).contains(count) else {
                throw DepotError(.failInvalidTCPPort, "Invalid DRBD TCP port count \(count).", correction: "Give 1 to 8 ports.")
            }
            let ports = try self.model.allocatePorts(on: node, count: count, preferred: drbdDefinition.preferredPort, requested: request.drbdTCPPorts)
            resource.drbd = DRBDResourceData(
                nodeID: nodeID, tcpPorts: ports, peerSlots: drbdDefinition.peerSlots, alStripes: drbdDefinition.alStripes,
                alSizeKiB: drbdDefinition.alStripeSizeKiB)
        }
        self.put(resource)
        if stack.contains(.luks), !resource.isDiskless { try self.ensureVolumePassphrases(definition.key) }
        var replies = [
            Reply(
                .created, "New resource '\(definition.name)' on node '\(node.name)' registered.",
                details: "Resource '\(definition.name)' on node '\(node.name)' UUID is: \(resource.uuid)",
                objectReferences: ["RscDfn": definition.name, "Node": node.name])
        ]
        for number in resource.volumes.keys.sorted() {
            guard let volume = resource.volumes[number] else { continue }
            replies.append(
                Reply(
                    ReturnCode(rawValue: ReturnCode.created.rawValue | ReturnCode.ObjectType.volume.rawValue),
                    "Volume with number '\(number)' on resource '\(definition.name)' on node '\(node.name)' successfully registered",
                    details: "Volume UUID is: \(volume.uuid)",
                    objectReferences: ["RscDfn": definition.name, "Node": node.name, "VlmNr": String(number)]))
        }
        return replies
    }

    /// DRBD needs a peer slot for every other replica of the resource.
    func checkPeerSlots(_ key: ObjectKey) throws(DepotError) {
        guard let definition = self.model.resourceDefinitions[key], let drbd = definition.drbd else { return }
        let replicas = self.model.resources(ofDefinition: key).filter { $0.drbd != nil }
        guard replicas.count - 1 <= drbd.peerSlots else {
            throw DepotError(
                .failInsufficientPeerSlots, "Resource '\(definition.name)' would have \(replicas.count) DRBD replicas but only \(drbd.peerSlots) peer slots.",
                cause: "Each replica needs a peer slot for every other replica.",
                correction: "Raise the peer slots of the resource definition (drbd_peer_slots) before adding replicas.",
                objectReferences: ["RscDfn": definition.name])
        }
    }

    /// The storage pool property that applies to a resource (resource, definition, group, node, controller).
    func storagePoolName(for resource: Resource, definition: ResourceDefinition) throws(DepotError) -> String {
        if let name = self.model.effectiveProperties(of: resource, definition: definition)["StorPoolName"] { return name }
        let group = self.model.group(of: definition)
        if let groupPool = group?.selectFilter.storagePool ?? group?.selectFilter.storagePoolList?.first { return groupPool }
        return DefaultStoragePool.diskful
    }

    private func storagePool(for resource: Resource, definition: ResourceDefinition, on node: Node) throws(DepotError) -> StoragePool {
        if resource.isDiskless {
            let name = resource.props["StorPoolName"] ?? DefaultStoragePool.diskless
            let pool = try self.model.storagePool(name, on: node.name)
            guard pool.providerKind == .diskless else {
                throw DepotError(
                    .failInvalidStorageDriver, "Storage pool '\(pool.name)' on node '\(node.name)' is not diskless.",
                    cause: "A diskless resource needs a DISKLESS storage pool.", objectReferences: ["Node": node.name, "StorPool": pool.name])
            }
            return pool
        }
        let name = try self.storagePoolName(for: resource, definition: definition)
        guard let pool = self.model.storagePools[StoragePoolKey(node: node.key, pool: ObjectKey(name))] else {
            let isDefault = ObjectKey(name) == ObjectKey(DefaultStoragePool.diskful)
            throw DepotError(
                isDefault ? .failNotFoundDefaultStoragePool : .failNotFoundStoragePool,
                "Storage pool '\(name)' on node '\(node.name)' not found.",
                cause: isDefault
                    ? "No storage pool was named, so the default pool '\(name)' was chosen, and the node has none." : "The node '\(node.name)' has no storage pool '\(name)'.",
                correction: "Name an existing storage pool of the node (--storage-pool), or create '\(name)' on it.",
                objectReferences: ["Node": node.name, "StorPool": name, "RscDfn": definition.name])
        }
        guard pool.providerKind.hasBackingStorage else {
            throw DepotError(
                .failInvalidStorageDriver, "Storage pool '\(pool.name)' on node '\(node.name)' is diskless.",
                cause: "A resource with a disk needs a storage pool with storage.",
                correction: "Choose another storage pool, or create the resource as diskless.", objectReferences: ["Node": node.name, "StorPool": pool.name])
        }
        guard resource.layerStack.contains(.drbd) || !resource.isDiskless else {
            throw DepotError(.failInvalidLayerStack, "A diskless resource without DRBD has no device.")
        }
        return pool
    }

    /// `PUT .../resources/{node}`.
    mutating func modifyResource(_ resourceName: String, _ nodeName: String, _ change: PropertyChange) throws(DepotError) -> [Reply] {
        var resource = try self.model.resource(resourceName, on: nodeName)
        let missing = try change.apply(to: &resource.props, owner: .resource)
        self.put(resource)
        return [
            Reply(
                .modified, "Resource '\(resource.resourceName)' on node '\(resource.nodeName)' modified.",
                details: "Resource '\(resource.resourceName)' on node '\(resource.nodeName)' UUID is: \(resource.uuid)",
                objectReferences: ["RscDfn": resource.resourceName, "Node": resource.nodeName])
        ] + missing.map { Reply(.warnDeleteUnsetProperty, "Property '\($0)' was not set on resource '\(resource.resourceName)'.") }
    }

    /// `PUT .../resources/{node}/volumes/{nr}`: a volume's own properties (its pool, DRBD disk options).
    mutating func modifyVolume(_ resourceName: String, _ nodeName: String, _ number: Int?, _ change: PropertyChange) throws(DepotError) -> [Reply] {
        var resource = try self.model.resource(resourceName, on: nodeName)
        let references = ["RscDfn": resource.resourceName, "Node": resource.nodeName, "VlmNr": number.map(String.init) ?? "?"]
        guard let number, var volume = resource.volumes[number] else {
            throw DepotError(
                .failNotFoundVolume,
                "Volume with volume number '\(number.map(String.init) ?? "?")' on resource '\(resource.resourceName)' on node '\(resource.nodeName)' not found.",
                objectReferences: references)
        }
        let missing = try change.apply(to: &volume.props, owner: .volume)
        resource.volumes[number] = volume
        self.put(resource)
        return [
            Reply(
                .modified, "Volume with volume number '\(number)' on resource '\(resource.resourceName)' on node '\(resource.nodeName)' modified.",
                details: "Volume with volume number '\(number)' on resource '\(resource.resourceName)' on node '\(resource.nodeName)' UUID is: \(volume.uuid)",
                objectReferences: references)
        ] + missing.map { Reply(.warnDeleteUnsetProperty, "Property '\($0)' was not set on volume \(number) of resource '\(resource.resourceName)'.") }
    }

    /// `DELETE .../resources/{node}`: frees the replica's node-id and ports.
    ///
    /// Refused while the replica is in use or holds the only UpToDate data (``ensureNotInUse(_:_:)``).
    /// - Parameter keepTieBreaker: LINSTOR's `keep_tiebreaker`: deleting the tie-breaker keeps it
    ///   while quorum needs it, and a definition whose automatic tie-breaker was off gets it on;
    ///   without it, deleting the tie-breaker turns the automatic tie-breaker off for the definition.
    ///   Either way a diskless replica that quorum needs is taken over as the tie-breaker.
    mutating func deleteResource(_ resourceName: String, _ nodeName: String, keepTieBreaker: Bool = false) throws(DepotError) -> [Reply] {
        guard let resource = self.model.resources[ResourceKey(resource: ObjectKey(resourceName), node: ObjectKey(nodeName))] else {
            return [Reply.alreadyGone("Resource '\(resourceName)' on node '\(nodeName)'", ["RscDfn": resourceName, "Node": nodeName])]
        }
        if !resource.flags.contains(ResourceFlag.delete) {
            try self.ensureNotInUse(resource, "deleted")
            try self.ensureNotOnlyUpToDate(resource, "deleted")
        }
        let references = ["RscDfn": resource.resourceName, "Node": resource.nodeName]
        var replies = resource.drbd == nil ? [] : self.applyKeepTieBreaker(to: resource, keepTieBreaker)
        if self.retire(resource) {
            replies.append(
                Reply(
                    .deleted, "Resource '\(resource.resourceName)' on node '\(resource.nodeName)' deleted.",
                    details: "Resource '\(resource.resourceName)' on node '\(resource.nodeName)' UUID was: \(resource.uuid)",
                    objectReferences: references))
            return replies + (try self.updateDRBDAutomation(of: resource.key.resource))
        }
        let automation = try self.updateDRBDAutomation(of: resource.key.resource)
        // Taken over as the tie-breaker: it stays, and the reply says only that.
        guard self.model.resources[resource.key]?.flags.contains(ResourceFlag.delete) == true else { return replies + automation }
        return replies + [Reply(.modified, "Resource '\(resource.resourceName)' on node '\(resource.nodeName)' marked for deletion.", objectReferences: references)]
            + automation
    }

    /// The definition's `DrbdOptions/auto-add-quorum-tiebreaker` as LINSTOR changes it on a delete.
    private mutating func applyKeepTieBreaker(to resource: Resource, _ keep: Bool) -> [Reply] {
        guard var definition = self.model.resourceDefinitions[resource.key.resource] else { return [] }
        let enabled = self.tieBreakerEnabled(for: definition)
        let references = ["RscDfn": definition.name]
        if resource.flags.contains(ResourceFlag.tieBreaker), !keep, enabled {
            definition.props[DRBDKeys.autoTieBreaker] = "false"
            self.put(definition)
            return [
                Reply(
                    .infoPropertySet, "Disabling auto-tiebreaker on resource-definition '\(definition.name)' as tiebreaker resource was manually deleted",
                    details: "\(DRBDKeys.autoTieBreaker) is now false on '\(definition.name)'; set it to true to get a tie breaker again.",
                    objectReferences: references)
            ]
        }
        if keep, !enabled {
            definition.props[DRBDKeys.autoTieBreaker] = "true"
            self.put(definition)
            return [Reply(.infoPropertySet, "Autotiebreaker automatically enabled due to --keep-tiebreaker", objectReferences: references)]
        }
        return []
    }

    /// Removes what satellites reported cleaned up: DELETE-marked resources, then definitions marked
    /// DELETE that have no resource left.
    mutating func finishDeletes(_ keys: Set<ResourceKey>) -> [Reply] {
        var replies: [Reply] = []
        for key in keys.sorted() {
            guard let resource = self.model.resources[key], resource.flags.contains(ResourceFlag.delete) else { continue }
            self.removeResource(key)
            replies.append(Reply(.deleted, "Resource '\(resource.resourceName)' on node '\(resource.nodeName)' deleted."))
            if let definition = self.model.resourceDefinitions[key.resource], definition.flags.contains(ResourceFlag.delete),
                (self.model.resourcesByDefinition[key.resource] ?? []).isEmpty
            {
                self.removeResourceDefinition(key.resource)
                replies.append(Reply(.deleted, "Resource definition '\(definition.name)' deleted."))
            }
        }
        return replies
    }
}
