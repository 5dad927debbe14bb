import DepotModel
import DepotWire
import HashTreeCollections

/// What the controller keeps in step with a DRBD definition's replicas, as LINSTOR automates it: the
/// initial sync source and generation of each volume, the quorum policy and the tie-breaker.
extension ClusterTransaction {
    /// Re-derives the automatic DRBD settings of a definition after its replicas or volumes changed.
    mutating func updateDRBDAutomation(of definitionKey: ObjectKey) throws(DepotError) -> [Reply] {
        guard var definition = self.model.resourceDefinitions[definitionKey], definition.layerStack.first == .drbd,
            !definition.flags.contains(ResourceFlag.delete)
        else { return [] }
        let live = self.model.activeDRBDReplicas(ofDefinition: definitionKey)
        let diskful = live.filter { !$0.isDiskless }
        var changed = false
        for number in definition.volumeDefinitions.keys.sorted() {
            guard var volume = definition.volumeDefinitions[number] else { continue }
            let before = volume
            if volume.props[DRBDKeys.currentGenerationID] == nil { volume.props[DRBDKeys.currentGenerationID] = DRBDKeys.makeGenerationID() }
            if !volume.flags.contains(VolumeDefinitionFlag.drbdInitialized) {
                let current = volume.props[DRBDKeys.initialUpToDateOn].map(ObjectKey.init)
                if current == nil || !diskful.contains(where: { ObjectKey($0.nodeName) == current }) {
                    // The first diskful replica created is the source; its data is what all others get.
                    let source = diskful.min { ($0.createTimestamp, $0.nodeName) < ($1.createTimestamp, $1.nodeName) }
                    volume.props[DRBDKeys.initialUpToDateOn] = source?.nodeName
                }
            }
            if volume != before {
                definition.volumeDefinitions[number] = volume
                changed = true
            }
        }
        if changed { self.put(definition) }
        let replies = try self.updateTieBreaker(of: definition, live: live)
        // Quorum counts the tie-breaker the step above may have added or removed.
        let members = self.model.activeDRBDReplicas(ofDefinition: definitionKey)
        var current = self.model.resourceDefinitions[definitionKey] ?? definition
        let disks = members.filter { !$0.isDiskless }.count
        if self.updateQuorum(of: &current, diskful: disks, diskless: members.count - disks) { self.put(current) }
        return replies
    }

    /// `quorum majority` once a majority can exist (3 diskful, or 2 diskful and a diskless), else `off`;
    /// a value the user set anywhere is left alone.
    private mutating func updateQuorum(of definition: inout ResourceDefinition, diskful: Int, diskless: Int) -> Bool {
        let setByDepot = definition.props[DRBDKeys.quorumSetBy] != nil
        // The definition's own value is Depot's when Depot marked it so; any other level is the user's.
        let userSet = self.model.effectiveProperties(of: definition).levels(setting: DRBDKeys.quorum).contains { level in
            level != .resourceDefinition || !setByDepot
        }
        let policy = self.model.controllerProps[DRBDKeys.autoQuorum] ?? "io-error"
        guard !userSet, policy.lowercased() != "disabled" else { return false }
        let before = definition.props
        if diskful >= 3 || (diskful == 2 && diskless >= 1) {
            definition.props[DRBDKeys.quorum] = "majority"
            definition.props[DRBDKeys.onNoQuorum] = policy
        } else {
            definition.props[DRBDKeys.quorum] = "off"
            definition.props[DRBDKeys.onNoQuorum] = nil
        }
        definition.props[DRBDKeys.quorumSetBy] = "Linstor"
        return definition.props != before
    }

    /// Two diskful replicas and no client get a diskless `TIE_BREAKER` on a third node; it goes again
    /// when the replica count changes or a real client joins.
    private mutating func updateTieBreaker(of definition: ResourceDefinition, live: [Resource]) throws(DepotError) -> [Reply] {
        let diskful = live.filter { !$0.isDiskless }
        let tieBreakers = live.filter { $0.flags.contains(ResourceFlag.tieBreaker) }
        let clients = live.filter { $0.isDiskless && !$0.flags.contains(ResourceFlag.tieBreaker) }
        let wanted = diskful.count == 2 && clients.isEmpty && self.tieBreakerEnabled(for: definition)
        var replies: [Reply] = []
        if !wanted || tieBreakers.count > 1 {
            for resource in tieBreakers.dropFirst(wanted ? 1 : 0) {
                _ = self.retire(resource)
                replies.append(
                    Reply(
                        .infoTieBreakerDeleting, "Tie breaker resource '\(definition.name)' on node '\(resource.nodeName)' removed.",
                        cause: "It is no longer needed for quorum.", objectReferences: ["RscDfn": definition.name, "Node": resource.nodeName]))
            }
            return replies
        }
        guard tieBreakers.isEmpty else { return [] }
        // A diskless replica still being removed serves instead of a new one, as in LINSTOR: its DRBD
        // identity is still allocated and its node has DRBD up. A former tie-breaker first (the count
        // dropped a moment ago, e.g. during 'node lost'), then a client the user just deleted.
        let retiring = self.model.resources(ofDefinition: definition.key).filter {
            $0.drbd != nil && $0.isDiskless && $0.flags.contains(ResourceFlag.delete) && self.isOnline($0.key.node)
        }
        if var revived = retiring.first(where: { $0.flags.contains(ResourceFlag.tieBreaker) }) ?? retiring.first {
            let wasTieBreaker = revived.flags.contains(ResourceFlag.tieBreaker)
            revived.flags.remove(ResourceFlag.delete)
            revived.flags.insert(ResourceFlag.tieBreaker)
            self.put(revived)
            let references = ["RscDfn": definition.name, "Node": revived.nodeName]
            if wasTieBreaker {
                return [
                    Reply(
                        .infoTieBreakerCreated, "Tie breaker resource '\(definition.name)' on node '\(revived.nodeName)' kept.",
                        cause: "Quorum needs it again.", objectReferences: references)
                ]
            }
            return [
                Reply(
                    .infoTieBreakerTakeover, "The given resource will not be deleted but will be taken over as a linstor managed tiebreaker resource.",
                    details: "Resource '\(definition.name)' on node '\(revived.nodeName)' is now the tie breaker: with two diskful replicas, quorum needs it.",
                    objectReferences: references)
            ]
        }
        guard let node = self.tieBreakerNode(for: definition) else {
            return [
                Reply(
                    .warnNotEnoughNodesForTieBreaker, "Could not find a node for a tie breaker of '\(definition.name)'.",
                    cause: "A tie breaker needs an online node with DRBD and a diskless storage pool that has no replica of the resource yet.",
                    correction: "Add such a node, or add a third replica.", objectReferences: ["RscDfn": definition.name])
            ]
        }
        // The pool is named on the resource, as LINSTOR's tie-breaker creation does.
        let request = NewResource(nodeName: node.name, props: ["StorPoolName": DefaultStoragePool.diskless], flags: [ResourceFlag.drbdDiskless])
        _ = try self.createResource(definition: self.model.resourceDefinition(definition.name), request)
        if var created = self.model.resources[ResourceKey(resource: definition.key, node: node.key)] {
            created.flags.insert(ResourceFlag.tieBreaker)
            self.put(created)
        }
        return [
            Reply(
                .infoTieBreakerCreated, "Tie breaker resource '\(definition.name)' created on node '\(node.name)'.",
                objectReferences: ["RscDfn": definition.name, "Node": node.name])
        ]
    }

    /// Re-derives the DRBD automation of every definition that runs without quorum protection (two
    /// disks, no tie-breaker or client): a node that came back, or a replica that finished leaving a
    /// node, may be what its tie-breaker was waiting for.
    mutating func restoreQuorumProtection() throws(DepotError) -> [Reply] {
        var replies: [Reply] = []
        for definition in self.model.resourceDefinitions.values.sorted(by: { $0.key < $1.key }) where self.lacksQuorumProtection(definition) {
            replies += try self.updateDRBDAutomation(of: definition.key)
        }
        return replies
    }

    /// Two diskful DRBD replicas and nobody to break a tie, with the tie-breaker automation on.
    func lacksQuorumProtection(_ definition: ResourceDefinition) -> Bool {
        guard definition.layerStack.first == .drbd, !definition.flags.contains(ResourceFlag.delete), self.tieBreakerEnabled(for: definition) else {
            return false
        }
        let live = self.model.activeDRBDReplicas(ofDefinition: definition.key)
        return live.filter { !$0.isDiskless }.count == 2 && !live.contains { $0.isDiskless }
    }

    func tieBreakerEnabled(for definition: ResourceDefinition) -> Bool {
        self.model.effectiveProperties(of: definition)[DRBDKeys.autoTieBreaker].map { $0.lowercased() != "false" } ?? true
    }

    /// The first node by name that is online, runs DRBD, has a diskless pool and no replica yet.
    private func tieBreakerNode(for definition: ResourceDefinition) -> Node? {
        let taken = self.model.resourcesByDefinition[definition.key] ?? []
        return self.model.nodes.values.sorted { $0.key < $1.key }.first { node in
            guard node.type.runsSatellite, !taken.contains(node.key), self.isOnline(node.key),
                !node.flags.contains(NodeFlag.evacuate), !node.flags.contains(NodeFlag.delete),
                self.capabilities(node.key)?.resourceLayers.contains(LayerKind.drbd.rawValue) == true,
                let pool = self.model.storagePools[StoragePoolKey(node: node.key, pool: ObjectKey(DefaultStoragePool.diskless))]
            else { return false }
            return pool.providerKind == .diskless
        }
    }

    /// Notes volumes some replica reported UpToDate: from then on no node is an initial sync source.
    mutating func markDRBDInitialized(_ volumes: Set<DefinitionVolume>) -> [Reply] {
        for item in volumes.sorted(by: { ($0.definition, $0.number) < ($1.definition, $1.number) }) {
            guard var definition = self.model.resourceDefinitions[item.definition],
                var volume = definition.volumeDefinitions[item.number], !volume.flags.contains(VolumeDefinitionFlag.drbdInitialized)
            else { continue }
            volume.flags.insert(VolumeDefinitionFlag.drbdInitialized)
            definition.volumeDefinitions[item.number] = volume
            self.put(definition)
        }
        return []
    }
}

/// A volume definition by its definition and number.
struct DefinitionVolume: Hashable, Sendable {
    let definition: ObjectKey
    let number: Int
}
