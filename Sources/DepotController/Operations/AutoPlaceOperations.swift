import DepotModel
import DepotWire
import HashTreeCollections

extension ClusterTransaction {
    /// Places a definition's replicas where the autoplacer says, or explains why it cannot.
    ///
    /// - Parameters:
    ///   - request: the caller's filter; merged over the definition's resource group.
    ///   - dryRun: answer with the choice and its scores and change nothing.
    ///   - failQuietly: an unsatisfiable placement is a warning, not an error (node lost, adjust).
    mutating func autoPlace(
        _ resourceName: String, _ request: AutoSelectFilter, dryRun: Bool = false, failQuietly: Bool = false
    ) throws(DepotError) -> [Reply] {
        let definition = try self.model.resourceDefinition(resourceName)
        let group = self.model.resourceGroups[ObjectKey(definition.resourceGroupName)]
        let filter = try Self.validFilter(request.merged(over: group?.selectFilter ?? AutoSelectFilter()))
        let references = ["RscDfn": definition.name]
        guard filter.placeCount != nil || (filter.additionalPlaceCount ?? 0) > 0 else {
            throw DepotError(
                .failInvalidPlaceCount, "No place count for '\(definition.name)'.",
                cause: "Neither the request nor resource group '\(definition.resourceGroupName)' says how many replicas to place.",
                correction: "Give --auto-place N, or set a place count on the resource group.", objectReferences: references)
        }
        let layers =
            try filter.layerStack.flatMap { $0.isEmpty ? nil : $0 }.map { list throws(DepotError) in try LayerStack.parse(list) }
            ?? definition.layerStack
        let placement = self.placementRequest(for: definition, filter, layers: layers)
        let outcome = Autoplacer.place(placement, nodes: PlacementInventory(self).nodes(for: definition.key))
        if outcome.needed <= 0 {
            let used = outcome.existing.map { "'\($0)'" }.joined(separator: ", ")
            let message =
                outcome.needed < 0
                ? "The resource '\(definition.name)' was already deployed on \(outcome.existing.count) nodes: \(used). The resource would have to be deleted from nodes to reach the placement count."
                : "Resource '\(definition.name)' was already deployed on \(outcome.existing.count) nodes. Skipping."
            return [Reply(.warnResourceAlreadyDeployed, message, details: "Used nodes: \(used)\nAuto-placing resource: \(definition.name)", objectReferences: references)]
        }
        guard outcome.isSatisfied else {
            let error = Self.notEnoughNodes(definition.name, filter, outcome)
            if failQuietly {
                return [Reply(.warnNotEnoughNodes, error.message + " for '\(definition.name)'", cause: error.cause, details: error.details, objectReferences: references)]
            }
            throw error
        }
        let used = outcome.chosen.map { "'\($0.nodeName) (\($0.poolName))'" }.joined(separator: ", ")
        if dryRun {
            return [
                Reply(
                    .infoDryRun,
                    "Dry run: '\(definition.name)' would be placed on \(outcome.chosen.count) nodes: "
                        + outcome.chosen.map { "\($0.nodeName) (\($0.poolName))" }.joined(separator: ", ") + "; nothing was created.",
                    details: Self.ranking(outcome), objectReferences: references)
            ]
        }
        var replies: [Reply] = []
        for candidate in outcome.chosen {
            let key = ResourceKey(resource: definition.key, node: ObjectKey(candidate.nodeName))
            if let existing = self.model.resources[key], existing.isDiskless {
                // A client or tie-breaker there gets the disk: it keeps its DRBD identity.
                replies += try self.toggleDisk(definition.name, existing.nodeName, .diskful(pool: candidate.poolName))
                continue
            }
            var create = NewResource(nodeName: candidate.nodeName, props: ["StorPoolName": candidate.poolName])
            if placement.isDiskless { create.flags = [ResourceFlag.drbdDiskless] }
            if let stack = filter.layerStack, !stack.isEmpty { create.layerStack = stack }
            replies += try self.createResource(definition: self.model.resourceDefinition(definition.name), create)
        }
        if filter.disklessOnRemaining == true, layers.first == .drbd {
            replies += try self.placeDisklessOnRemaining(definition.key)
        }
        try self.checkPeerSlots(definition.key)
        replies.append(
            Reply(
                .created, "Resource '\(definition.name)' successfully autoplaced on \(outcome.chosen.count) nodes",
                details: "Used nodes (storage pool name): \(used)", objectReferences: references))
        return replies + (try self.updateDRBDAutomation(of: definition.key))
    }

    /// Placing replicas of `definition`: its volumes' total size, and whether its replicas may mix
    /// storage provider families.
    func placementRequest(for definition: ResourceDefinition, _ filter: AutoSelectFilter, layers: [LayerKind]) -> PlacementRequest {
        PlacementRequest(
            resourceName: definition.name, sizeKiB: definition.volumeDefinitions.values.reduce(Int64(0)) { $0 + $1.sizeKiB }, filter: filter,
            layers: layers, controllerProps: self.model.controllerProps,
            allowsMixingProviders: self.model.effectiveProperties(of: definition)["AllowMixingStoragePoolDriver"]?.lowercased() == "true")
    }

    /// Every other online DRBD node with a diskless pool gets a DRBD client.
    private mutating func placeDisklessOnRemaining(_ definition: ObjectKey) throws(DepotError) -> [Reply] {
        var replies: [Reply] = []
        let taken = Set(self.model.resources(ofDefinition: definition).filter { !$0.flags.contains(ResourceFlag.tieBreaker) }.map { ObjectKey($0.nodeName) })
        for node in self.model.nodes.values.sorted(by: { $0.key < $1.key })
        where node.type.runsSatellite && !taken.contains(node.key) && self.isOnline(node.key)
            && !node.flags.contains(NodeFlag.evacuate) && !node.flags.contains(NodeFlag.delete)
            && self.capabilities(node.key)?.resourceLayers.contains(LayerKind.drbd.rawValue) == true
            && self.model.storagePools[StoragePoolKey(node: node.key, pool: ObjectKey(DefaultStoragePool.diskless))] != nil
        {
            if let tieBreaker = self.model.resources[ResourceKey(resource: definition, node: node.key)] {
                var client = tieBreaker
                client.flags.remove(ResourceFlag.tieBreaker)
                self.put(client)
                continue
            }
            let create = NewResource(nodeName: node.name, props: ["StorPoolName": DefaultStoragePool.diskless], flags: [ResourceFlag.drbdDiskless])
            replies += try self.createResource(definition: self.model.resourceDefinition(definition.rawValue), create)
        }
        return replies
    }

    /// `FAIL_NOT_ENOUGH_NODES` that says how many nodes were needed, which fit, and why each other
    /// node or pool was turned down.
    static func notEnoughNodes(_ resourceName: String, _ filter: AutoSelectFilter, _ outcome: PlacementOutcome) -> DepotError {
        let fitting = Array(Set(outcome.ranked.map(\.nodeName))).sorted { ObjectKey($0) < ObjectKey($1) }
        var cause = "Placing '\(resourceName)' needs \(outcome.needed) more node\(outcome.needed == 1 ? "" : "s")"
        if let count = filter.placeCount, (filter.additionalPlaceCount ?? 0) <= 0 {
            cause += " (place count \(count), \(outcome.existing.count) replica\(outcome.existing.count == 1 ? "" : "s") already placed)"
        }
        cause += "; \(fitting.count) fit" + (fitting.isEmpty ? "." : ": " + fitting.joined(separator: ", ") + ".")
        if let conflict = outcome.conflict { cause += " " + conflict }
        var details = outcome.conflict.map { ["- " + $0] } ?? []
        details += outcome.rejections.map { "- " + $0.line }
        if details.isEmpty { details = ["- the cluster has no node that could hold a replica"] }
        details.append("Auto-placing resource: \(resourceName)")
        return DepotError(
            .failNotEnoughNodes, "Not enough available nodes", cause: cause,
            correction: "Add nodes or storage pools, free space, bring nodes online, or relax the placement filter; the details say why each node was not chosen.",
            details: details.joined(separator: "\n"), objectReferences: ["RscDfn": resourceName])
    }

    /// The chosen candidates and the runners-up with their scores, for a dry run.
    static func ranking(_ outcome: PlacementOutcome) -> String {
        let chosen = Set(outcome.chosen.map { "\(ObjectKey($0.nodeName))/\(ObjectKey($0.poolName))" })
        var lines = ["Candidates by score (* chosen):"]
        for candidate in outcome.ranked.prefix(50) {
            let mark = chosen.contains("\(ObjectKey(candidate.nodeName))/\(ObjectKey(candidate.poolName))") ? "*" : " "
            let room = candidate.availableKiB == Int64.max ? "" : ", can take \(candidate.availableKiB) KiB"
            lines.append("\(mark) \(candidate.nodeName) (\(candidate.poolName), \(candidate.providerKind.rawValue)): score \(Self.score(candidate.score))\(room)")
        }
        if !outcome.rejections.isEmpty {
            lines.append("Not considered:")
            lines += outcome.rejections.map { "- " + $0.line }
        }
        return lines.joined(separator: "\n")
    }

    static func score(_ value: Double) -> String {
        let scaled = Int((value * 100_000).rounded())
        let sign = scaled < 0 ? "-" : ""
        let magnitude = abs(scaled)
        let fraction = String(magnitude % 100_000)
        return sign + "\(magnitude / 100_000)." + String(repeating: "0", count: 5 - fraction.count) + fraction
    }
}
