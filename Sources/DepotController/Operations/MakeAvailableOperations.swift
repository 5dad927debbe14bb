import DepotModel
import HashTreeCollections

/// `make-available`: whatever it takes for a node to have a usable replica, as LINSTOR's
/// `CtrlRscMakeAvailableApiCallHandler` does it. Every platform driver calls it when a VM or pod
/// starts on a node, so it must be idempotent and must never take a disk away.
extension ClusterTransaction {
    /// - An existing replica stays; a client gets a disk if `diskful` asks for one, a tie-breaker
    ///   becomes a client the user wants (it no longer goes when quorum stops needing it), a replica
    ///   being deleted is kept.
    /// - A new replica is diskless when DRBD can serve it from a diskful peer and no disk was asked
    ///   for, else diskful; its pool is what the autoplacer finds on that node under the resource
    ///   group's filter.
    mutating func makeAvailable(_ resourceName: String, _ nodeName: String, _ request: MakeAvailable) throws(DepotError) -> [Reply] {
        let definition = try self.model.resourceDefinition(resourceName)
        let node = try self.model.node(nodeName)
        let references = ["RscDfn": definition.name, "Node": node.name]
        let requestedStack = try request.layerList.flatMap { $0.isEmpty ? nil : $0 }.map { list throws(DepotError) in try LayerStack.parse(list) }
        guard !definition.flags.contains(ResourceFlag.delete) else {
            throw DepotError(
                .failInUse, "Resource definition '\(definition.name)' is being deleted.", cause: "Its resources are being removed from their nodes.",
                objectReferences: references)
        }
        guard var existing = self.model.resources[ResourceKey(resource: definition.key, node: node.key)] else {
            return try self.placeAnywhere(definition, on: node, request, layers: requestedStack ?? definition.layerStack)
        }
        if let requestedStack, requestedStack != existing.layerStack {
            throw DepotError(
                .failInvalidLayerStack, "Layerstack of deployed resource does not match",
                cause: "The replica on '\(node.name)' has \(existing.layerStack.map(\.rawValue).joined(separator: ",")).",
                correction: "Leave out the layer list, or delete the replica first.", objectReferences: references)
        }
        var replies: [Reply] = []
        if existing.flags.contains(ResourceFlag.delete) {
            existing.flags.remove(ResourceFlag.delete)
            self.put(existing)
            replies.append(
                Reply(
                    .modified, "Resource '\(definition.name)' on node '\(node.name)' is kept.", cause: "It was being deleted; make-available needs it.",
                    objectReferences: references))
        }
        if existing.isDiskless, request.diskful, existing.drbd != nil {
            let pool = try self.makeAvailablePool(definition, on: node, diskless: false, layers: existing.layerStack)
            return replies + (try self.toggleDisk(definition.name, node.name, .diskful(pool: pool)))
        }
        if existing.flags.contains(ResourceFlag.tieBreaker) {
            existing.flags.remove(ResourceFlag.tieBreaker)
            self.put(existing)
        }
        replies.append(Reply(.success, "Resource already deployed as requested", objectReferences: references))
        return replies + (try self.updateDRBDAutomation(of: definition.key))
    }

    private mutating func placeAnywhere(_ definition: ResourceDefinition, on node: Node, _ request: MakeAvailable, layers: [LayerKind]) throws(DepotError) -> [Reply] {
        let hasDiskfulPeer = self.model.activeDRBDReplicas(ofDefinition: definition.key).contains { !$0.isDiskless }
        let diskless = layers.first == .drbd && !request.diskful && hasDiskfulPeer
        let pool = try self.makeAvailablePool(definition, on: node, diskless: diskless, layers: layers)
        var create = NewResource(nodeName: node.name, props: ["StorPoolName": pool])
        if diskless {
            create.flags = [ResourceFlag.drbdDiskless]
            create.isDRBDClient = true
        }
        if layers != definition.layerStack { create.layerStack = layers.map(\.rawValue) }
        create.drbdTCPPorts = request.drbdTCPPorts.flatMap { $0.isEmpty ? nil : $0 }
        let replies = try self.createResource(definition: definition, create)
        try self.checkPeerSlots(definition.key)
        return replies + (try self.updateDRBDAutomation(of: definition.key))
    }

    /// The pool the autoplacer picks on `node` under the resource group's filter; a diskless one
    /// may also come from outside that filter, as in LINSTOR.
    private func makeAvailablePool(_ definition: ResourceDefinition, on node: Node, diskless: Bool, layers: [LayerKind]) throws(DepotError) -> String {
        var own = AutoSelectFilter()
        own.placeCount = 0
        own.additionalPlaceCount = 1
        own.nodeNameList = [node.name]
        own.layerStack = layers.map(\.rawValue)
        if diskless { own.disklessType = ResourceFlag.drbdDiskless }
        let group = self.model.resourceGroups[ObjectKey(definition.resourceGroupName)]
        var filters = [own.merged(over: group?.selectFilter ?? AutoSelectFilter())]
        if diskless { filters.append(own) }
        let nodes = PlacementInventory(self).nodes(for: definition.key)
        var outcome: PlacementOutcome?
        for filter in filters {
            let attempt = Autoplacer.place(self.placementRequest(for: definition, filter, layers: layers), nodes: nodes)
            if let chosen = attempt.chosen.first { return chosen.poolName }
            outcome = outcome ?? attempt
        }
        let kind = diskless ? "diskless" : "diskful"
        let reasons = outcome?.rejections.map { "- \($0.pool.map { "pool '\($0)' on " } ?? "")\($0.node) \($0.reason)" } ?? []
        throw DepotError(
            .failNotFoundStoragePool, "Autoplacer could not find \(kind) stor pool on node \(node.name) matching resource-groups autoplace-settings",
            cause: reasons.isEmpty ? nil : "Why no pool of '\(node.name)' fits:\n" + reasons.joined(separator: "\n"),
            correction: diskless
                ? "Give the node a diskless storage pool and DRBD, or ask for a diskful replica."
                : "Give the node a storage pool the resource group '\(definition.resourceGroupName)' allows, with enough free space, or ask for a diskless replica.",
            objectReferences: ["RscDfn": definition.name, "Node": node.name])
    }
}
