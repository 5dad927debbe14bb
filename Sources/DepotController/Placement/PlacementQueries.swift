import DepotModel
import HashTreeCollections

/// What a resource group's next spawn could get: `query-size-info` and `query-max-volume-size`.
/// Reads only; they answer from the latest snapshot.
extension PlacementInventory {
    /// A placement of a new definition of `group` (size 0, no replicas yet) on `nodes`, by default
    /// the cluster's.
    func hypotheticalPlacement(
        _ group: ResourceGroup, _ request: AutoSelectFilter, nodes: [PlacementNode]? = nil
    ) throws(DepotError) -> (PlacementOutcome, AutoSelectFilter) {
        let filter = try ClusterTransaction.validFilter(request.merged(over: group.selectFilter))
        guard (filter.placeCount ?? 0) > 0 else {
            throw DepotError(
                .failInvalidPlaceCount, "Resource group '\(group.name)' has no place count.",
                correction: "Give a place count (--place-count N), or set one on the group.", objectReferences: ["RscGrp": group.name])
        }
        let layers =
            try filter.layerStack.flatMap { $0.isEmpty ? nil : $0 }.map { list throws(DepotError) in try LayerStack.parse(list) }
            ?? [.drbd, .storage]
        let placement = PlacementRequest(
            resourceName: "(next spawn of \(group.name))", sizeKiB: 0, filter: filter, layers: layers, controllerProps: self.model.controllerProps)
        return (Autoplacer.place(placement, nodes: nodes ?? self.nodes(for: nil)), filter)
    }

    /// - Parameter nodes: the cluster's placement view when the caller already built it (it reads
    ///   every resource, so a query over all groups builds it once).
    func querySizeInfo(_ group: ResourceGroup, _ request: AutoSelectFilter, nodes: [PlacementNode]? = nil) -> SpawnSizeInfo {
        let ratio = PlacementCapacity.thinOversubscriptionDefault
        let outcome: PlacementOutcome
        let filter: AutoSelectFilter
        do {
            (outcome, filter) = try self.hypotheticalPlacement(group, request, nodes: nodes)
        } catch {
            return SpawnSizeInfo(space: nil, problems: [error])
        }
        guard outcome.isSatisfied, !outcome.chosen.isEmpty else {
            let error = ClusterTransaction.notEnoughNodes("(next spawn of \(group.name))", filter, outcome)
            return SpawnSizeInfo(
                space: .init(maxVolumeSizeKiB: 0, availableSizeKiB: 0, capacityKiB: 0, defaultMaxOversubscriptionRatio: ratio, nextSpawn: nil),
                problems: [error])
        }
        let count = outcome.chosen.count
        let spawn = outcome.chosen.map { candidate in
            let props = candidate.pool.props
            return SpawnSizeInfo.Choice(
                nodeName: candidate.nodeName, storagePoolName: candidate.poolName,
                oversubscriptionRatio: props["MaxOversubscriptionRatio"].flatMap(Double.init),
                freeCapacityOversubscriptionRatio: props["MaxFreeCapacityOversubscriptionRatio"].flatMap(Double.init),
                totalCapacityOversubscriptionRatio: props["MaxTotalCapacityOversubscriptionRatio"].flatMap(Double.init))
        }
        let space = SpawnSizeInfo.Space(
            maxVolumeSizeKiB: outcome.chosen.map(\.availableKiB).min() ?? 0,
            availableSizeKiB: Self.packed(Self.perNode(outcome.ranked) { $0.pool.freeKiB ?? 0 }, replicas: count),
            capacityKiB: Self.packed(Self.perNode(outcome.ranked) { $0.pool.totalKiB ?? 0 }, replicas: count),
            defaultMaxOversubscriptionRatio: ratio, nextSpawn: spawn)
        return SpawnSizeInfo(space: space)
    }

    /// Per storage pool name the group may use: the largest volume a spawn could place there.
    func maxVolumeSizes(_ group: ResourceGroup) throws(DepotError) -> MaxVolumeSizes {
        let names =
            (group.selectFilter.storagePoolList ?? []).isEmpty
            ? self.model.storagePoolDefinitions.values.map(\.name)
            : group.selectFilter.storagePoolList ?? []
        var candidates: [MaxVolumeSizes.Candidate] = []
        var lastOutcome: PlacementOutcome?
        let nodes = self.nodes(for: nil)
        for name in names.sorted(by: { ObjectKey($0) < ObjectKey($1) }) {
            var restricted = AutoSelectFilter()
            restricted.storagePoolList = [name]
            guard let (outcome, _) = try? self.hypotheticalPlacement(group, restricted, nodes: nodes) else { continue }
            lastOutcome = outcome
            guard outcome.isSatisfied, !outcome.chosen.isEmpty else { continue }
            candidates.append(
                .init(
                    storagePool: outcome.chosen[0].poolName, maxVolumeSizeKiB: outcome.chosen.compactMap(\.pool.freeKiB).min() ?? 0,
                    nodeNames: outcome.chosen.map(\.nodeName), allThin: outcome.chosen.allSatisfy { $0.providerKind.isThin }))
        }
        guard !candidates.isEmpty else {
            throw DepotError(
                .failNotEnoughNodes, "Not enough nodes",
                cause: "No storage pool of resource group '\(group.name)' is on enough nodes with reported capacity"
                    + (group.selectFilter.placeCount.map { " for \($0) replicas." } ?? " (the group has no place count)."),
                details: lastOutcome.map { $0.rejections.map { "- " + $0.line }.joined(separator: "\n") }, objectReferences: ["RscGrp": group.name])
        }
        return MaxVolumeSizes(candidates: candidates, defaultMaxOversubscriptionRatio: PlacementCapacity.thinOversubscriptionDefault)
    }

    /// A node holds one replica of a volume, whatever its pools: their space counts together.
    static func perNode(_ candidates: [PlacementCandidate], _ size: (PlacementCandidate) -> Int64) -> [Int64] {
        Array(Dictionary(grouping: candidates, by: \.nodeKey).values.map { $0.reduce(0) { $0 + size($1) } })
    }

    /// The total that `replicas`-way replicated volumes can take from pools of these sizes: each
    /// round fills the `replicas` largest pools by the smallest of them.
    static func packed(_ sizes: [Int64], replicas: Int) -> Int64 {
        guard replicas > 0 else { return 0 }
        var sizes = sizes.filter { $0 > 0 }
        var total: Int64 = 0
        while sizes.count >= replicas {
            sizes.sort()
            let amount = sizes[sizes.count - replicas]
            total += amount
            for index in (sizes.count - replicas)..<sizes.count { sizes[index] -= amount }
            sizes.removeAll { $0 <= 0 }
        }
        return total
    }
}
