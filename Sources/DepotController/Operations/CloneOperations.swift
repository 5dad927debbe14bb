import DepotModel
import HashTreeCollections

/// `POST .../clone`: what the new definition is to be.
struct CloneRequest: Sendable {
    var name: String?
    var externalName: String?
    var layerList: [String]?
    var resourceGroup: String?
    var overrideProps: [String: String] = [:]
    var deleteProps: [String] = []
    var deleteNamespaces: [String] = []
    /// New LUKS passphrases of the clone's volumes, in volume-number order (none: the source's).
    var volumePassphrases: [String] = []
}

/// Resource definition flags of a clone, as LINSTOR spells them.
enum CloneFlag {
    static let cloning = "CLONING"
    static let failed = "FAILED"
    /// LINSTOR's definition property naming the source of a clone.
    static let clonedFromKey = "cloned-from"
}

extension ClusterTransaction {
    /// Registers the clone's definition (same volumes, the source's properties) and the snapshot of
    /// the source it is made from; ``restoreClone(_:)`` makes its replicas once the snapshot is taken.
    mutating func startClone(_ sourceName: String, _ request: CloneRequest) throws(DepotError) -> [Reply] {
        let source = try self.model.resourceDefinition(sourceName)
        let stack = try request.layerList.flatMap { $0.isEmpty ? nil : $0 }.map { list throws(DepotError) in try LayerStack.parse(list) } ?? source.layerStack
        guard stack == source.layerStack else {
            throw DepotError(
                .failInvalidLayerStack, "A clone of '\(source.name)' keeps its layers (\(Self.describe(source.layerStack))).",
                cause: "The clone is made from a snapshot of the source's volumes, which hold the data of every layer (DRBD's metadata too).",
                correction: "Clone without --layer-list, then change the clone's layers if needed.", objectReferences: ["RscDfn": source.name])
        }
        let pools = try self.clonePools(of: source, group: request.resourceGroup ?? source.resourceGroupName)
        let replies = try self.createResourceDefinition(
            NewResourceDefinition(
                name: request.name, externalName: request.externalName, resourceGroupName: request.resourceGroup ?? source.resourceGroupName,
                layerStack: stack.map(\.rawValue)))
        guard let targetName = replies.first?.objectReferences["RscDfn"] else {
            throw DepotError(.failImplementationError, "The clone's resource definition was not created.")
        }
        var target = try self.model.resourceDefinition(targetName)
        target.props = source.props.filter { !$0.key.hasPrefix("AutoSnapshot/") && $0.key != CloneFlag.clonedFromKey }
        let change = PropertyChange(overrideProps: request.overrideProps, deleteProps: request.deleteProps, deleteNamespaces: request.deleteNamespaces)
        _ = try change.apply(to: &target.props, owner: .resourceDefinition)
        target.props[CloneFlag.clonedFromKey] = source.name
        target.flags.insert(CloneFlag.cloning)
        let snapshotName = "clone_" + Identifier.makeUUID().prefix(8).lowercased()
        target.clone = PendingClone(source: source.name, snapshot: snapshotName, pools: pools.isEmpty ? nil : pools)
        try self.addRestoredVolumeDefinitions(Array(source.volumeDefinitions.values), to: &target)
        try self.replacePassphrases(of: &target, with: request.volumePassphrases)
        self.put(target)
        return replies + (try self.createSnapshot(source.name, NewSnapshot(name: snapshotName, clone: target.name)))
    }

    /// Where the clone's volumes go, as LINSTOR places them: on the source's diskful nodes, in a
    /// pool the clone's resource group allows. A node whose volumes sit in an allowed pool keeps
    /// that pool (the clone is a snapshot restored beside them); any other gets the first allowed
    /// pool it has (the clone is a copy of the snapshot's data). A group without pools keeps them all.
    ///
    /// - Returns: node name → pool, for the nodes whose pool changes.
    private func clonePools(of source: ResourceDefinition, group groupName: String) throws(DepotError) -> [String: String] {
        guard let group = self.model.resourceGroups[ObjectKey(groupName)] else { return [:] }
        let allowed = (group.selectFilter.storagePoolList ?? []) + (group.selectFilter.storagePool.map { [$0] } ?? [])
        guard !allowed.isEmpty else { return [:] }
        var pools: [String: String] = [:]
        for replica in self.model.resources(ofDefinition: source.key) where !replica.isDiskless && !replica.flags.contains(ResourceFlag.inactive) {
            let used = Set(replica.volumes.values.map { ObjectKey($0.storagePoolName) })
            if used.allSatisfy({ pool in allowed.contains { ObjectKey($0) == pool } }) { continue }
            let offered = allowed.compactMap { try? self.model.storagePool($0, on: replica.nodeName) }.first { $0.providerKind.hasBackingStorage }
            guard let offered else {
                throw DepotError(
                    .failNotEnoughNodes, "No suitable storage pools found for cloning.",
                    cause:
                        "Resource group '\(group.name)' places volumes in storage pool\(allowed.count == 1 ? "" : "s") \(allowed.joined(separator: ", ")); node '\(replica.nodeName)', which holds a replica of '\(source.name)', has none of them.",
                    correction: "Create one of these pools on '\(replica.nodeName)', or clone into a group whose pools the source's nodes have.",
                    objectReferences: ["RscDfn": source.name, "RscGrp": group.name, "Node": replica.nodeName])
            }
            pools[replica.nodeName] = offered.name
        }
        return pools
    }

    /// The snapshot the clone is made from was taken: its replicas are restored from it, on the
    /// source's nodes, in the pools chosen when it started. A failed snapshot fails the clone.
    ///
    /// Idempotent: a clone whose replicas exist already, or whose snapshot is still being taken, is left as it is.
    mutating func restoreClone(_ targetName: String) throws(DepotError) -> [Reply] {
        var target = try self.model.resourceDefinition(targetName)
        guard let clone = target.clone, (self.model.resourcesByDefinition[target.key] ?? []).isEmpty else { return [] }
        let key = SnapshotKey(resource: ObjectKey(clone.source), snapshot: ObjectKey(clone.snapshot))
        guard self.model.snapshots[key]?.phase == nil else { return [] }
        guard let snapshot = self.model.snapshots[SnapshotKey(resource: ObjectKey(clone.source), snapshot: ObjectKey(clone.snapshot))], snapshot.isSuccessful else {
            target.flags.remove(CloneFlag.cloning)
            target.flags.insert(CloneFlag.failed)
            target.clone = nil
            self.put(target)
            if self.model.snapshots[SnapshotKey(resource: ObjectKey(clone.source), snapshot: ObjectKey(clone.snapshot))] != nil {
                _ = try self.deleteSnapshot(clone.source, clone.snapshot, nodes: [])
            }
            return [Reply(.failUnknownError, "Cloning '\(clone.source)' to '\(target.name)' failed: its snapshot could not be taken.", objectReferences: ["RscDfn": target.name])]
        }
        return try self.restoreResources(clone.source, clone.snapshot, to: target.name, nodes: [], nodePools: clone.pools ?? [:])
    }

    /// Clones whose snapshot ended get their replicas (or fail), also when the call that started
    /// them is gone (a controller restart aborts the snapshot, which fails the clone).
    mutating func continueClones() throws(DepotError) {
        for definition in self.model.resourceDefinitions.values where definition.clone != nil {
            _ = try self.restoreClone(definition.name)
        }
    }

    /// Every replica of a clone has its volumes: the snapshot it was made from goes, the clone is complete.
    mutating func finishClones() throws(DepotError) {
        for definition in self.model.resourceDefinitions.values where definition.clone != nil && definition.flags.contains(CloneFlag.cloning) {
            guard let clone = definition.clone else { continue }
            let replicas = self.model.resources(ofDefinition: definition.key)
            guard !replicas.isEmpty, replicas.allSatisfy({ !$0.flags.contains(ResourceFlag.restoreFromSnapshot) }) else { continue }
            var done = definition
            done.clone = nil
            done.flags.remove(CloneFlag.cloning)
            self.put(done)
            _ = try self.deleteSnapshot(clone.source, clone.snapshot, nodes: [])
        }
    }

    private static func describe(_ stack: [LayerKind]) -> String { stack.map { $0.rawValue.lowercased() }.joined(separator: ",") }

    /// The clone's own passphrases: its replicas change the copied headers' key slots to them.
    private func replacePassphrases(of target: inout ResourceDefinition, with passphrases: [String]) throws(DepotError) {
        guard !passphrases.isEmpty else { return }
        let numbers = target.volumeDefinitions.keys.sorted()
        guard passphrases.count == numbers.count else {
            throw DepotError(
                .failInvalidRequest, "Volume passphrase count doesn't match specified volume count.",
                correction: "Give one passphrase per volume definition of the source (\(numbers.count)).", objectReferences: ["RscDfn": target.name])
        }
        for (number, given) in zip(numbers, passphrases) {
            var sealed = try self.sealedPassphrase(given, for: "The clone '\(target.name)'")
            if let copied = target.volumeDefinitions[number]?.passphrase {
                sealed.generation = copied.generation + 1
                sealed.former = [copied.sealed] + copied.former
            }
            target.volumeDefinitions[number]?.passphrase = sealed
        }
    }
}
