/// Chooses the nodes and storage pools for a resource's replicas, and says why it chose them.
///
/// LINSTOR's placer surprises its users (a request "placed on 0 nodes", choices nobody can
/// explain). This one is deterministic: candidates are filtered with a recorded reason for every
/// rejection, scored with LINSTOR's strategies and weights, ordered by score then node and pool
/// name, and the best combination that satisfies the `replicas_on_*` rules wins.
public enum Autoplacer {
    /// Candidates are scored with these strategies; `Autoplacer/Weights/<name>` changes a weight.
    public enum Strategy: String, Sendable, CaseIterable {
        case maxFreeSpace = "MaxFreeSpace"
        case minReservedSpace = "MinReservedSpace"
        case minRscCount = "MinRscCount"

        var defaultWeight: Double {
            switch self {
            case .maxFreeSpace: 1
            case .minReservedSpace: 0
            case .minRscCount: 0.00001
            }
        }

        var minimizes: Bool { self != .maxFreeSpace }

        func raw(_ pool: PlacementPool) -> Double {
            switch self {
            case .maxFreeSpace: Double(pool.freeKiB ?? 0)
            case .minReservedSpace: Double(pool.reservedKiB)
            case .minRscCount: Double(pool.resourceCount)
            }
        }
    }

    /// The search visits at most this many partial selections, so a hard request still answers fast.
    static let searchBudget = 200_000

    public static func place(_ request: PlacementRequest, nodes: [PlacementNode]) -> PlacementOutcome {
        let filter = request.filter
        let sorted = nodes.map { (key: $0.key, node: $0) }.sorted { $0.key < $1.key }.map(\.node)
        let existing = sorted.filter { node in
            !node.flags.contains(NodeFlag.evacuate)
                && (request.isDiskless ? node.replica == .diskless : node.replica == .diskful)
        }
        let needed: Int
        if let additional = filter.additionalPlaceCount, additional > 0 {
            needed = additional
        } else {
            needed = (filter.placeCount ?? 0) - existing.count
        }
        var outcome = PlacementOutcome(needed: needed, existing: existing.map(\.name))
        guard needed > 0 else { return outcome }
        var rules = SpreadRules(filter: filter, existing: existing)
        if !request.isDiskless, !request.allowsMixingProviders {
            rules.providerFamily = existing.compactMap(\.replicaProvider).first.map(ProviderFamily.init)
            rules.checksProviders = true
        }
        if let conflict = rules.conflict {
            outcome.conflict = conflict
            return outcome
        }
        var candidates: [PlacementCandidate] = []
        for node in sorted {
            if let reason = self.nodeRejection(node, request, rules) {
                outcome.rejections.append(PlacementRejection(node: node.name, pool: nil, reason: reason))
                continue
            }
            let (accepted, rejections) = self.pools(of: node, request)
            outcome.rejections += rejections
            candidates += accepted
        }
        candidates = self.scored(candidates, weights: self.weights(request.controllerProps))
        outcome.ranked = candidates
        outcome.chosen = self.select(needed, from: candidates, nodes: Dictionary(uniqueKeysWithValues: sorted.map { ($0.key, $0) }), rules: rules)
        if outcome.chosen.count < needed {
            outcome.chosen = []
            let nodesAvailable = Set(candidates.map(\.nodeKey)).count
            if nodesAvailable >= needed, !rules.isEmpty {
                outcome.conflict =
                    "\(nodesAvailable) nodes fit on their own, but no \(needed) of them satisfy "
                    + rules.description + " together with the existing replicas."
            }
        }
        return outcome
    }

    // MARK: Filters

    private static func nodeRejection(_ node: PlacementNode, _ request: PlacementRequest, _ rules: SpreadRules) -> String? {
        let filter = request.filter
        guard node.type.runsSatellite else { return "is a \(node.type.rawValue) node and holds no resources" }
        guard node.isOnline else { return "is offline (its satellite is not connected)" }
        if node.flags.contains(NodeFlag.evacuate) { return "is being evacuated" }
        if node.flags.contains(NodeFlag.delete) { return "is being deleted" }
        switch node.replica {
        case .diskful: return "already holds a replica of '\(request.resourceName)'"
        case .diskless where request.isDiskless: return "already holds a diskless replica of '\(request.resourceName)'"
        case .deleting: return "is still removing its replica of '\(request.resourceName)'"
        case .diskless, .none: break
        }
        if let list = filter.nodeNameList, !list.isEmpty, !list.contains(where: { ObjectKey($0) == node.key }) {
            return "is not in the node list" + (list.count <= 5 ? " (\(list.joined(separator: ", ")))" : "")
        }
        if EffectiveProperties.node(node.props, controller: request.controllerProps)["AutoplaceTarget"]?.lowercased() == "false" {
            return "has AutoplaceTarget=false"
        }
        guard let layers = node.layers else { return "has not reported what it supports yet" }
        let required = request.isDiskless ? [LayerKind.drbd] : request.layers.filter { $0 != .storage }
        for layer in required where !layers.contains(layer.rawValue) {
            return "does not support the \(layer.rawValue) layer"
        }
        let pattern = filter.notPlaceWithResourceRegex.flatMap { $0.isEmpty ? nil : $0 }
        if !(filter.notPlaceWithResource ?? []).isEmpty || pattern != nil {
            let own = ObjectKey(request.resourceName)
            let others = node.resourceNames.filter { ObjectKey($0) != own }
            for name in filter.notPlaceWithResource ?? [] where others.contains(where: { ObjectKey($0) == ObjectKey(name) }) {
                return "holds resource '\(name)' (do-not-place-with)"
            }
            if let pattern, let regex = try? Regex(pattern).ignoresCase(), let match = others.first(where: { $0.contains(regex) }) {
                return "holds resource '\(match)', which matches '\(pattern)' (do-not-place-with-regex)"
            }
        }
        return rules.rejection(of: node)
    }

    private static func pools(of node: PlacementNode, _ request: PlacementRequest) -> ([PlacementCandidate], [PlacementRejection]) {
        let filter = request.filter
        let names: [String]
        if request.isDiskless {
            names = filter.storagePoolDisklessList ?? []
        } else {
            names = (filter.storagePoolList ?? []) + [filter.storagePool].compactMap { $0 }
        }
        let wanted = Set(names.map(ObjectKey.init))
        let pools = node.pools
            .filter { $0.kind.hasBackingStorage != request.isDiskless }
            .filter { wanted.isEmpty || wanted.contains($0.key) }
            .sorted { $0.key < $1.key }
        guard !pools.isEmpty else {
            let what =
                wanted.isEmpty ? (request.isDiskless ? "diskless storage pool" : "storage pool with backing storage") : "storage pool named " + names.joined(separator: " or ")
            return ([], [PlacementRejection(node: node.name, pool: nil, reason: "has no \(what)")])
        }
        var accepted: [PlacementCandidate] = []
        var rejections: [PlacementRejection] = []
        let providers = Set((filter.providerList ?? []).map { $0.uppercased() })
        for pool in pools {
            func reject(_ reason: String) { rejections.append(PlacementRejection(node: node.name, pool: pool.name, reason: reason)) }
            if !providers.isEmpty, !providers.contains(pool.kind.rawValue) {
                reject("is \(pool.kind.rawValue), not one of the providers \(providers.sorted().joined(separator: ", "))")
                continue
            }
            if let supported = node.providers, !supported.contains(pool.kind.rawValue) {
                reject("is \(pool.kind.rawValue), which the node does not support")
                continue
            }
            if pool.props["AutoplaceTarget"]?.lowercased() == "false" {
                reject("has AutoplaceTarget=false")
                continue
            }
            var availableKiB = Int64.max
            if !request.isDiskless {
                guard let capacity = PlacementCapacity(pool, controllerProps: request.controllerProps) else {
                    reject("has not reported its capacity yet")
                    continue
                }
                guard capacity.availableKiB >= request.sizeKiB else {
                    reject("can take \(capacity.availableKiB) KiB more, \(request.sizeKiB) KiB needed")
                    continue
                }
                guard (pool.freeKiB ?? 0) >= capacity.minimumFreeKiB else {
                    reject("has \(pool.freeKiB ?? 0) KiB free, below its minimum free space of \(capacity.minimumFreeKiB) KiB")
                    continue
                }
                availableKiB = capacity.availableKiB
            }
            accepted.append(PlacementCandidate(nodeName: node.name, nodeKey: node.key, pool: pool, score: 0, availableKiB: availableKiB))
        }
        return (accepted, rejections)
    }

    // MARK: Scores

    static func weights(_ controllerProps: [String: String]) -> [Strategy: Double] {
        Dictionary(
            uniqueKeysWithValues: Strategy.allCases.map { strategy in
                (strategy, controllerProps["Autoplacer/Weights/" + strategy.rawValue].flatMap(Double.init) ?? strategy.defaultWeight)
            })
    }

    /// Each strategy's raw value divided by its largest non-zero value, times its (for minimising
    /// strategies negated) weight; then ordered best first, ties by node then pool name.
    static func scored(_ candidates: [PlacementCandidate], weights: [Strategy: Double]) -> [PlacementCandidate] {
        var scored = candidates
        for strategy in Strategy.allCases {
            let weight = (weights[strategy] ?? 0) * (strategy.minimizes ? -1 : 1)
            guard weight != 0 else { continue }
            let highest = candidates.map { strategy.raw($0.pool) }.filter { $0 != 0 }.max()
            for index in scored.indices {
                let raw = strategy.raw(scored[index].pool)
                scored[index].score += (highest.map { raw / $0 } ?? raw) * weight
            }
        }
        return scored.sorted { a, b in
            if a.score != b.score { return a.score > b.score }
            if a.nodeKey != b.nodeKey { return a.nodeKey < b.nodeKey }
            return a.pool.key < b.pool.key
        }
    }

    // MARK: Selection

    /// The highest-scoring set of `count` candidates on distinct nodes that keeps the spread rules.
    ///
    /// Depth-first from each start position in score order; a start whose best possible sum cannot
    /// beat the best found ends the search.
    static func select(_ count: Int, from candidates: [PlacementCandidate], nodes: [ObjectKey: PlacementNode], rules: SpreadRules) -> [PlacementCandidate] {
        var best: [Int] = []
        var bestSum = -Double.infinity
        var budget = Self.searchBudget
        var start = 0
        while start + count <= candidates.count, budget > 0 {
            let bound = candidates[start..<(start + count)].reduce(0) { $0 + $1.score }
            if !best.isEmpty, bound <= bestSum { break }
            var picked: [Int] = []
            var state = rules.start()
            if Self.search(count, candidates, nodes, from: start, first: true, &picked, &state, &budget) {
                let sum = picked.reduce(0) { $0 + candidates[$1].score }
                if best.isEmpty || sum > bestSum {
                    best = picked
                    bestSum = sum
                }
            }
            start += 1
        }
        return best.map { candidates[$0] }
    }

    private static func search(
        _ count: Int, _ candidates: [PlacementCandidate], _ nodes: [ObjectKey: PlacementNode], from index: Int, first: Bool,
        _ picked: inout [Int], _ state: inout SpreadRules.State, _ budget: inout Int
    ) -> Bool {
        if picked.count == count { return state.isValidComplete }
        let last = first ? index : candidates.count - 1
        var position = index
        while position <= last, position < candidates.count {
            budget -= 1
            if budget <= 0 { return false }
            let key = candidates[position].nodeKey
            if !picked.contains(where: { candidates[$0].nodeKey == key }), let node = nodes[key], state.accepts(node),
                state.accepts(provider: candidates[position].providerKind)
            {
                let saved = state
                state.add(node)
                state.add(provider: candidates[position].providerKind)
                picked.append(position)
                if Self.search(count, candidates, nodes, from: position + 1, first: false, &picked, &state, &budget) { return true }
                picked.removeLast()
                state = saved
            }
            position += 1
        }
        return false
    }
}

/// The autoplacer's answer: the choice, or why there is none.
public struct PlacementOutcome: Sendable {
    /// How many replicas were to be added (place count minus existing ones, or the additional count).
    public var needed: Int
    /// Nodes whose existing replicas count towards the place count.
    public var existing: [String]
    public var chosen: [PlacementCandidate] = []
    /// Every candidate that passed the filters, best first.
    public var ranked: [PlacementCandidate] = []
    public var rejections: [PlacementRejection] = []
    /// Why the spread rules cannot be met, when they are the reason.
    public var conflict: String?

    public init(needed: Int, existing: [String]) {
        self.needed = needed
        self.existing = existing
    }

    public var isSatisfied: Bool { self.needed <= 0 || self.chosen.count == self.needed }
}

/// A node and pool that could take a replica, with its score.
public struct PlacementCandidate: Sendable {
    public var nodeName: String
    /// The node's key, kept because the search compares it for every step.
    public var nodeKey: ObjectKey
    public var pool: PlacementPool
    public var score: Double
    /// What the pool can still take (over-subscription applied).
    public var availableKiB: Int64

    public var poolName: String { self.pool.name }
    public var providerKind: ProviderKind { self.pool.kind }
}

/// Why a node, or one of its pools, was not a candidate.
public struct PlacementRejection: Sendable, Equatable {
    public var node: String
    public var pool: String?
    public var reason: String

    public var line: String { self.pool.map { "node '\(self.node)', pool '\($0)' \(self.reason)" } ?? "node '\(self.node)' \(self.reason)" }
}

/// Providers whose replicas may be combined without `AllowMixingStoragePoolDriver`: the same
/// provider, or its thin and thick variant of ZFS or FILE (LINSTOR's rule).
struct ProviderFamily: Sendable, Equatable {
    let name: String

    init(_ kind: ProviderKind) {
        switch kind {
        case .zfs, .zfsThin: self.name = "ZFS"
        case .file, .fileThin: self.name = "FILE"
        default: self.name = kind.rawValue
        }
    }
}

/// Node flags the placer reads.
public enum NodeFlag {
    public static let evacuate = "EVACUATE"
    public static let delete = "DELETE"
}
