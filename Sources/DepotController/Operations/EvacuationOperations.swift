import DepotModel
import HashTreeCollections

extension ClusterTransaction {
    /// `PUT /v1/nodes/{node}/evacuate`: moves every replica off a node before it is taken out.
    ///
    /// The node gets `EVACUATE` (no new replicas go there); each DRBD replica with a disk gets a new
    /// replica elsewhere that syncs while the old one still serves, and the old one is deleted once
    /// the new one is UpToDate, so the replica count never drops. Clients are simply removed. Running
    /// it again resumes: replicas that already have a replacement are left as they are, and those
    /// that found no place are tried again.
    mutating func evacuateNode(_ name: String, _ evacuation: NodeEvacuation) throws(DepotError) -> [Reply] {
        var node = try self.model.node(name)
        let targets = evacuation.targets
        let excluded = Set(evacuation.excluded.map(ObjectKey.init))
        guard targets.isEmpty || excluded.isEmpty else {
            throw DepotError(.failInvalidRequest, "Give either target or do_not_target, not both.", objectReferences: ["Node": node.name])
        }
        for target in targets { _ = try self.model.node(target) }
        if !node.flags.contains(NodeFlag.evacuate) {
            node.flags.insert(NodeFlag.evacuate)
            self.put(node)
        }
        var replies = [Reply(.modified, "Node '\(node.name)' is being evacuated; no new resources will be placed there.", objectReferences: ["Node": node.name])]
        // Only an explicit target list narrows where replicas go; the EVACUATE flag already keeps
        // them off this node, and each definition's group list still applies.
        let restricted: [String]? =
            targets.isEmpty && excluded.isEmpty
            ? nil
            : (targets.isEmpty ? self.model.nodes.values.filter { $0.key != node.key && !excluded.contains($0.key) }.map(\.name) : targets)
        for resource in self.model.resources(onNode: node.key) where !resource.flags.contains(ResourceFlag.delete) {
            let references = ["RscDfn": resource.resourceName, "Node": node.name]
            if !resource.flags.contains(ResourceFlag.evacuate) {
                var marked = resource
                marked.flags.insert(ResourceFlag.evacuate)
                self.put(marked)
            }
            guard resource.layerStack.first == .drbd, resource.drbd != nil else {
                replies.append(
                    Reply(
                        .warnNotEvacuating, "Resource '\(resource.resourceName)' cannot be evacuated as it is not a DRBD resource",
                        cause: "Without DRBD its data cannot be copied to another node while it runs.",
                        correction: "Move the data yourself and delete the resource on '\(node.name)'.", objectReferences: references))
                continue
            }
            if resource.isDiskless {
                do {
                    replies += try self.deleteResource(resource.resourceName, node.name)
                } catch {
                    // A client in use stays until it is released; evacuating the others goes on.
                    replies.append(Reply(.warnNotEvacuating, error.message, cause: error.cause, correction: error.correction, objectReferences: references))
                }
                continue
            }
            let replacing = self.model.resources(ofDefinition: resource.key.resource).contains {
                $0.props[Self.migrateFromKey].map(ObjectKey.init) == node.key
            }
            if replacing {
                replies.append(Reply(.warnNoEffect, "Resource '\(resource.resourceName)' is already moving off '\(node.name)'.", objectReferences: references))
                continue
            }
            var filter = AutoSelectFilter()
            filter.additionalPlaceCount = 1
            if var allowed = restricted {
                let groupList =
                    self.model.resourceDefinitions[resource.key.resource]
                    .flatMap { self.model.resourceGroups[ObjectKey($0.resourceGroupName)]?.selectFilter.nodeNameList } ?? []
                if !groupList.isEmpty {
                    let inGroup = Set(groupList.map(ObjectKey.init))
                    allowed = allowed.filter { inGroup.contains(ObjectKey($0)) }
                }
                guard !allowed.isEmpty else {
                    replies.append(
                        Reply(
                            .warnNotEvacuating, "Resource '\(resource.resourceName)' cannot be evacuated: no allowed target node is in its resource group's node list.",
                            correction: "Name other targets, or widen the group's node list.", objectReferences: references))
                    continue
                }
                filter.nodeNameList = allowed
            }
            let diskfulBefore = Set(self.model.resources(ofDefinition: resource.key.resource).filter { !$0.isDiskless }.map(\.key))
            let placed: [Reply]
            do {
                // A placement that fails halfway leaves nothing behind; the others go on.
                placed = try self.allOrNothing { (transaction: inout ClusterTransaction) throws(DepotError) in
                    try transaction.autoPlace(resource.resourceName, filter)
                }
            } catch {
                replies.append(
                    Reply(
                        .warnNotEvacuating, "Resource '\(resource.resourceName)' cannot be evacuated as no available storage pool was found",
                        cause: error.cause, correction: "Add a node or free space, then run 'node evacuate \(node.name)' again.", details: error.details,
                        objectReferences: references))
                continue
            }
            replies += placed
            // The replica that just got a disk takes over from this node.
            if var taking = self.model.resources(ofDefinition: resource.key.resource).first(where: { !$0.isDiskless && !diskfulBefore.contains($0.key) }) {
                taking.props[Self.migrateFromKey] = node.name
                self.put(taking)
                replies.append(
                    Reply(
                        .modified,
                        "Resource '\(resource.resourceName)' moves from '\(node.name)' to '\(taking.nodeName)'; the replica on '\(node.name)' is deleted once the new one is UpToDate.",
                        objectReferences: references))
            }
        }
        return replies
    }

    /// `PUT /v1/nodes/{node}/restore`: ends an evacuation; the node takes new replicas again.
    mutating func restoreNode(_ name: String) throws(DepotError) -> [Reply] {
        var node = try self.model.node(name)
        guard node.flags.contains(NodeFlag.evacuate) else {
            return [Reply(.warnNoEffect, "Node '\(node.name)' is not being evacuated.", objectReferences: ["Node": node.name])]
        }
        node.flags.remove(NodeFlag.evacuate)
        self.put(node)
        for var resource in self.model.resources(onNode: node.key) where resource.flags.contains(ResourceFlag.evacuate) {
            resource.flags.remove(ResourceFlag.evacuate)
            self.put(resource)
        }
        // It may take the tie-breaker a definition is missing.
        return [Reply(.modified, "Node '\(node.name)' restored; it takes new resources again.", objectReferences: ["Node": node.name])]
            + (try self.restoreQuorumProtection())
    }

    /// `POST /v1/resource-groups/{rg}/adjust` (or every group): brings each definition of the group
    /// to the group's place count. Only adds replicas.
    ///
    /// - Parameter request: a filter over each group's own, for this adjustment only.
    mutating func adjustResourceGroups(_ name: String?, _ request: AutoSelectFilter) throws(DepotError) -> [Reply] {
        let groups =
            try name.map { name throws(DepotError) in [try self.model.resourceGroup(name)] }
            ?? self.model.resourceGroups.values.sorted { $0.key < $1.key }
        var replies: [Reply] = []
        for group in groups {
            guard request.placeCount ?? group.selectFilter.placeCount != nil else {
                if name != nil {
                    replies.append(Reply(.warnNoEffect, "Resource group '\(group.name)' has no place count; nothing to adjust.", objectReferences: ["RscGrp": group.name]))
                }
                continue
            }
            let definitions = self.model.resourceDefinitions.values
                .filter { ObjectKey($0.resourceGroupName) == group.key && !$0.flags.contains(ResourceFlag.delete) }
                .sorted { $0.key < $1.key }
            for definition in definitions {
                replies += try self.autoPlace(definition.name, request, failQuietly: true)
            }
        }
        return replies + (try self.restoreQuorumProtection())
    }
}
