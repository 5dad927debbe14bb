import Testing

@testable import DepotModel

/// The autoplacer on generated clusters: every filter, the scoring, the spread rules, determinism,
/// and (property tests over many random clusters) that a placement never breaks its filter.
@Suite struct AutoplacerTests {
    /// A deterministic pseudo-random source (SplitMix64), so every generated cluster can be rebuilt.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            self.state &+= 0x9E37_79B9_7F4A_7C15
            var z = self.state
            z = (z ^ (z >> 30)) &* 0xBF58_476C_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let drbd: Set<String> = ["DRBD", "STORAGE"]
    static let allProviders: Set<String> = Set(ProviderKind.allCases.map(\.rawValue))

    static func node(_ name: String, free: Int64 = 1 << 20, kind: ProviderKind = .fileThin, props: [String: String] = [:], online: Bool = true) -> PlacementNode {
        PlacementNode(
            name: name, props: props, isOnline: online, layers: Self.drbd, providers: Self.allProviders,
            pools: [
                PlacementPool(name: "thinpool", kind: kind, freeKiB: free, totalKiB: 1 << 21),
                PlacementPool(name: DefaultStoragePool.diskless, kind: .diskless),
            ])
    }

    static func request(_ count: Int, size: Int64 = 1024, _ change: (inout AutoSelectFilter) -> Void = { _ in }) -> PlacementRequest {
        var filter = AutoSelectFilter()
        filter.placeCount = count
        change(&filter)
        return PlacementRequest(resourceName: "shared", sizeKiB: size, filter: filter, layers: [.drbd, .storage])
    }

    /// Hundreds of nodes with sites, racks, pools of every kind and random free space.
    static func generated(_ count: Int, seed: UInt64) -> [PlacementNode] {
        var random = Seeded(state: seed)
        let kinds: [ProviderKind] = [.lvm, .lvmThin, .zfs, .zfsThin, .file, .fileThin]
        return (0..<count).map { index in
            var pools = [PlacementPool(name: DefaultStoragePool.diskless, kind: .diskless)]
            for pool in 0..<Int.random(in: 1...3, using: &random) {
                let total = Int64.random(in: 1 << 20...1 << 28, using: &random)
                pools.append(
                    PlacementPool(
                        name: "pool\(pool)", kind: kinds[Int.random(in: kinds.indices, using: &random)], freeKiB: Int64.random(in: 0...total, using: &random),
                        totalKiB: total, reservedKiB: Int64.random(in: 0...(total / 4), using: &random), resourceCount: Int.random(in: 0...50, using: &random)))
            }
            let props = ["Aux/site": "site\(index % 5)", "Aux/rack": "rack\(index % 17)"]
            return PlacementNode(
                name: "node" + String(String(index + 1000).dropFirst()), props: props, isOnline: Int.random(in: 0..<10, using: &random) != 0,
                layers: Int.random(in: 0..<20, using: &random) == 0 ? ["STORAGE"] : Self.drbd, providers: Self.allProviders, pools: pools,
                resourceNames: Int.random(in: 0..<8, using: &random) == 0 ? ["noisy"] : [])
        }
    }

    @Test func picksTheNodesWithTheMostFreeSpaceAndBreaksTiesByName() {
        let nodes = [Self.node("delta", free: 500_000), Self.node("alpha", free: 900_000), Self.node("charlie", free: 900_000), Self.node("bravo", free: 100_000)]
        let outcome = Autoplacer.place(Self.request(3), nodes: nodes)
        #expect(outcome.chosen.map(\.nodeName) == ["alpha", "charlie", "delta"])
        #expect(outcome.chosen.allSatisfy { $0.poolName == "thinpool" })
        #expect(Autoplacer.place(Self.request(3), nodes: nodes.reversed()).chosen.map(\.nodeName) == ["alpha", "charlie", "delta"], "input order does not matter")
    }

    @Test func countsExistingReplicasAndHonoursAdditionalCounts() {
        var nodes = (1...5).map { Self.node("n\($0)") }
        nodes[0].replica = .diskful
        nodes[1].replica = .diskless
        let outcome = Autoplacer.place(Self.request(3), nodes: nodes)
        #expect(outcome.needed == 2)
        #expect(outcome.existing == ["n1"])
        #expect(!outcome.chosen.contains { $0.nodeName == "n1" })
        #expect(outcome.chosen.map(\.nodeName).contains("n2"), "a client may get the disk")
        let more = Autoplacer.place(Self.request(3) { $0.additionalPlaceCount = 1 }, nodes: nodes)
        #expect(more.needed == 1 && more.chosen.count == 1)
        nodes[2].replica = .diskful
        nodes[3].replica = .diskful
        #expect(Autoplacer.place(Self.request(3), nodes: nodes).needed == 0)
    }

    @Test func everyNodeFilterRejectsWithAReason() {
        var offline = Self.node("offline", online: false)
        offline.isOnline = false
        var evacuating = Self.node("evacuating")
        evacuating.flags = [NodeFlag.evacuate]
        var noDRBD = Self.node("nodrbd")
        noDRBD.layers = ["STORAGE"]
        var unreported = Self.node("unreported")
        unreported.layers = nil
        var neighbour = Self.node("neighbour")
        neighbour.resourceNames = ["noisy-db"]
        let target = Self.node("notarget", props: ["AutoplaceTarget": "false"])
        let full = Self.node("full", free: 10, kind: .file)
        let nodes = [offline, evacuating, noDRBD, unreported, neighbour, target, full, Self.node("good")]
        let outcome = Autoplacer.place(Self.request(2, size: 100) { $0.notPlaceWithResourceRegex = "^NOISY" }, nodes: nodes)
        #expect(!outcome.isSatisfied && outcome.chosen.isEmpty)
        let reasons = Dictionary(uniqueKeysWithValues: outcome.rejections.map { ($0.node, $0.reason) })
        #expect(reasons["offline"]?.contains("offline") == true)
        #expect(reasons["evacuating"]?.contains("evacuated") == true)
        #expect(reasons["nodrbd"]?.contains("DRBD layer") == true)
        #expect(reasons["unreported"]?.contains("not reported") == true)
        #expect(reasons["neighbour"]?.contains("noisy-db") == true)
        #expect(reasons["notarget"]?.contains("AutoplaceTarget") == true)
        #expect(reasons["full"]?.contains("100 KiB needed") == true)
        #expect(outcome.ranked.map(\.nodeName) == ["good"])
    }

    @Test func poolFiltersNameProvidersAndCapacityRules() {
        var nodes = [Self.node("a", kind: .fileThin), Self.node("b", kind: .file), Self.node("c", kind: .zfs)]
        nodes[2].pools[0].name = "other"
        let byName = Autoplacer.place(Self.request(2) { $0.storagePoolList = ["thinpool"] }, nodes: nodes)
        #expect(byName.chosen.map(\.nodeName) == ["a", "b"])
        #expect(byName.rejections.contains { $0.node == "c" && $0.reason.contains("thinpool") })
        let byProvider = Autoplacer.place(Self.request(1) { $0.providerList = ["FILE"] }, nodes: nodes)
        #expect(byProvider.chosen.map(\.nodeName) == ["b"])
        // Thin pools over-subscribe 20 times by default; thick ones do not.
        var thin = Self.node("thin", free: 20_000, kind: .fileThin)
        thin.pools[0].totalKiB = 100_000
        var thick = Self.node("thick", free: 20_000, kind: .file)
        thick.pools[0].totalKiB = 100_000
        let big = Autoplacer.place(Self.request(1, size: 300_000), nodes: [thin, thick])
        #expect(big.chosen.map(\.nodeName) == ["thin"])
        var limited = Self.request(1, size: 300_000)
        limited.controllerProps = ["MaxOversubscriptionRatio": "2"]
        #expect(Autoplacer.place(limited, nodes: [thin, thick]).chosen.isEmpty)
        // A thin pool must keep its minimum free space (default 10 % of its size).
        thin.pools[0].freeKiB = 200
        #expect(Autoplacer.place(Self.request(1, size: 100), nodes: [thin]).rejections.first?.reason.contains("minimum free space") == true)
    }

    @Test func weightsChangeTheOrder() {
        var busy = Self.node("busy", free: 900_000)
        busy.pools[0].resourceCount = 40
        let idle = Self.node("idle", free: 800_000)
        #expect(Autoplacer.place(Self.request(1), nodes: [busy, idle]).chosen.first?.nodeName == "busy")
        var request = Self.request(1)
        request.controllerProps = ["Autoplacer/Weights/MinRscCount": "10"]
        #expect(Autoplacer.place(request, nodes: [busy, idle]).chosen.first?.nodeName == "idle")
    }

    @Test func replicasOnDifferentSitesAndOnTheSameSite() {
        let nodes = (0..<9).map { Self.node("n\($0)", free: Int64(900_000 - $0 * 1000), props: ["Aux/site": "s\($0 % 3)"]) }
        let different = Autoplacer.place(Self.request(3) { $0.replicasOnDifferent = ["Aux/site"] }, nodes: nodes)
        #expect(Set(different.chosen.map { nodes[Int($0.nodeName.dropFirst())!].props["Aux/site"] }).count == 3)
        #expect(Autoplacer.place(Self.request(4) { $0.replicasOnDifferent = ["site"] }, nodes: nodes).chosen.isEmpty, "only three sites")
        let same = Autoplacer.place(Self.request(3) { $0.replicasOnSame = ["Aux/site"] }, nodes: nodes)
        #expect(Set(same.chosen.map { nodes[Int($0.nodeName.dropFirst())!].props["Aux/site"] }).count == 1)
        let pinned = Autoplacer.place(Self.request(2) { $0.replicasOnSame = ["Aux/site=s2"] }, nodes: nodes)
        #expect(pinned.chosen.map(\.nodeName) == ["n2", "n5"])
        // Two per site at most, and groups fill up: 2 + 1, never 1 + 1 + 1.
        let x = Autoplacer.place(Self.request(3) { $0.xReplicasOnDifferentMap = ["Aux/site": 2] }, nodes: nodes)
        let sites = x.chosen.map { nodes[Int($0.nodeName.dropFirst())!].props["Aux/site"]! }
        #expect(Dictionary(grouping: sites, by: { $0 }).values.map(\.count).sorted() == [1, 2])
        // An existing replica's site counts.
        var placed = nodes
        placed[0].replica = .diskful
        let next = Autoplacer.place(Self.request(3) { $0.replicasOnDifferent = ["Aux/site"] }, nodes: placed)
        #expect(next.chosen.count == 2 && !next.chosen.contains { placed[Int($0.nodeName.dropFirst())!].props["Aux/site"] == "s0" })
    }

    @Test func anUnsatisfiableSpreadSaysSo() {
        let nodes = (0..<4).map { Self.node("n\($0)", props: ["Aux/site": "only"]) }
        let outcome = Autoplacer.place(Self.request(2) { $0.replicasOnDifferent = ["Aux/site"] }, nodes: nodes)
        #expect(outcome.chosen.isEmpty)
        #expect(outcome.conflict?.contains("replicas-on-different") == true)
        var split = nodes
        split[0].replica = .diskful
        split[1].replica = .diskful
        split[1].props["Aux/site"] = "other"
        #expect(Autoplacer.place(Self.request(3) { $0.replicasOnSame = ["Aux/site"] }, nodes: split).conflict?.contains("different values") == true)
    }

    @Test func replicasDoNotMixProvidersUnlessAllowed() {
        var nodes = [
            Self.node("a", free: 900_000, kind: .lvmThin), Self.node("b", free: 800_000, kind: .zfsThin), Self.node("c", free: 700_000, kind: .zfs),
            Self.node("d", free: 100, kind: .lvmThin),
        ]
        nodes[3].pools[0].totalKiB = 1000
        let outcome = Autoplacer.place(Self.request(2, size: 10), nodes: nodes)
        #expect(outcome.chosen.map(\.nodeName) == ["b", "c"], "ZFS and ZFS_THIN mix; LVM_THIN and ZFS_THIN do not")
        nodes[0].replica = .diskful
        nodes[0].replicaProvider = .lvmThin
        let next = Autoplacer.place(Self.request(2, size: 10), nodes: nodes)
        #expect(next.chosen.map(\.nodeName) == ["d"], "the existing LVM_THIN replica decides")
        var allowed = Self.request(2, size: 10)
        allowed.allowsMixingProviders = true
        #expect(Autoplacer.place(allowed, nodes: nodes).chosen.map(\.nodeName) == ["b"])
        nodes[3].isOnline = false
        #expect(Autoplacer.place(Self.request(2, size: 10), nodes: nodes).conflict?.contains("LVM_THIN storage pools") == true)
    }

    @Test func aReplicaBeingDeletedKeepsItsNodeOutAndRequestPoolsReplaceTheGroups() {
        var nodes = (0..<3).map { Self.node("n\($0)") }
        nodes[0].replica = .deleting
        let outcome = Autoplacer.place(Self.request(2), nodes: nodes)
        #expect(outcome.chosen.map(\.nodeName) == ["n1", "n2"])
        #expect(outcome.rejections.first?.reason.contains("still removing") == true)
        var group = AutoSelectFilter()
        group.storagePoolList = ["a", "b"]
        var request = AutoSelectFilter()
        request.storagePool = "c"
        let merged = request.merged(over: group)
        #expect(merged.storagePool == "c" && merged.storagePoolList == nil)
        #expect(AutoSelectFilter().merged(over: group).storagePoolList == ["a", "b"])
    }

    @Test func aThinPoolWithLittleRealFreeSpaceIsNotChosenDespiteOversubscription() {
        var thin = Self.node("thin", free: 5 << 20, kind: .lvmThin)
        thin.pools[0].totalKiB = 100 << 20
        let outcome = Autoplacer.place(Self.request(1, size: 1 << 20), nodes: [thin])
        #expect(outcome.chosen.isEmpty, "5 % free is below the default 10 %")
        var request = Self.request(1, size: 1 << 20)
        request.controllerProps = ["Autoplacer/MinThinFreeSpace": "1%"]
        #expect(Autoplacer.place(request, nodes: [thin]).chosen.count == 1)
    }

    @Test func disklessPlacementUsesDisklessPools() {
        var nodes = (0..<3).map { Self.node("n\($0)") }
        nodes[0].replica = .diskful
        let outcome = Autoplacer.place(Self.request(1) { $0.disklessType = "DRBD_DISKLESS" }, nodes: nodes)
        #expect(outcome.chosen.map(\.poolName) == [DefaultStoragePool.diskless])
        #expect(outcome.chosen.first?.nodeName == "n0" || outcome.chosen.first?.nodeName == "n1")
    }

    @Test func generatedClustersGiveTheSameAnswerEveryTime() {
        let nodes = Self.generated(300, seed: 42)
        let request = Self.request(3, size: 10_000) { $0.replicasOnDifferent = ["Aux/site"] }
        let first = Autoplacer.place(request, nodes: nodes).chosen.map { "\($0.nodeName)/\($0.poolName)" }
        #expect(first.count == 3)
        for _ in 0..<5 {
            #expect(Autoplacer.place(request, nodes: nodes.shuffled()).chosen.map { "\($0.nodeName)/\($0.poolName)" } == first)
        }
    }

    /// Property: over many random clusters and filters, a placement never violates its filter, and
    /// it fails only when the candidates really cannot satisfy it.
    @Test func placementsNeverViolateTheirFilter() {
        var random = Seeded(state: 7)
        for round in 0..<200 {
            let nodes = Self.generated(Int.random(in: 5...120, using: &random), seed: UInt64(round) &* 31 &+ 1)
            let count = Int.random(in: 1...4, using: &random)
            let size = Int64.random(in: 1...(1 << 22), using: &random)
            let request = Self.request(count, size: size) { filter in
                if Bool.random(using: &random) { filter.replicasOnDifferent = ["Aux/site"] }
                if Int.random(in: 0..<4, using: &random) == 0 { filter.replicasOnSame = ["Aux/rack"] }
                if Bool.random(using: &random) { filter.providerList = ["LVM_THIN", "ZFS_THIN", "FILE_THIN"] }
                if Int.random(in: 0..<3, using: &random) == 0 { filter.storagePoolList = ["pool0"] }
                if Int.random(in: 0..<4, using: &random) == 0 { filter.notPlaceWithResource = ["noisy"] }
            }
            let outcome = Autoplacer.place(request, nodes: nodes)
            let byName = Dictionary(uniqueKeysWithValues: nodes.map { ($0.name, $0) })
            let chosen = outcome.chosen
            #expect(chosen.isEmpty || chosen.count == count, "round \(round): all or nothing")
            #expect(Set(chosen.map(\.nodeName)).count == chosen.count, "round \(round): one replica per node")
            #expect(Set(chosen.map { ProviderFamily($0.providerKind).name }).count <= 1, "round \(round): one provider family")
            for candidate in chosen {
                let node = byName[candidate.nodeName]!
                let pool = node.pools.first { $0.name == candidate.poolName }!
                #expect(node.isOnline && node.layers?.contains("DRBD") == true)
                #expect(pool.kind.hasBackingStorage)
                #expect(PlacementCapacity(pool, controllerProps: [:])!.availableKiB >= size)
                if let providers = request.filter.providerList { #expect(providers.contains(pool.kind.rawValue)) }
                if let pools = request.filter.storagePoolList { #expect(pools.contains(pool.name)) }
                if request.filter.notPlaceWithResource != nil { #expect(!node.resourceNames.contains("noisy")) }
            }
            if request.filter.replicasOnDifferent != nil {
                #expect(Set(chosen.map { byName[$0.nodeName]!.props["Aux/site"] }).count == chosen.count, "round \(round): sites differ")
            }
            if request.filter.replicasOnSame != nil {
                #expect(Set(chosen.map { byName[$0.nodeName]!.props["Aux/rack"] }).count <= 1, "round \(round): one rack")
            }
            if chosen.isEmpty, request.filter.replicasOnDifferent == nil, request.filter.replicasOnSame == nil {
                let perFamily = Dictionary(grouping: outcome.ranked, by: { ProviderFamily($0.providerKind).name }).values.map { Set($0.map(\.nodeName)).count }
                #expect((perFamily.max() ?? 0) < count, "round \(round): failed although enough nodes of one provider family fit")
            }
        }
    }

    @Test func minimumFreeSpaceIsAPercentOrASize() {
        #expect(PlacementCapacity.minimumFree("10%", total: 1000) == 100)
        #expect(PlacementCapacity.minimumFree("1G", total: 0) == 1 << 20)
        #expect(PlacementCapacity.minimumFree("nonsense", total: 1000) == 100)
    }
}
