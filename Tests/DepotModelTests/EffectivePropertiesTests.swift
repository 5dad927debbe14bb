import DepotModel
import Testing

@Suite struct EffectivePropertiesTests {
    /// Every level sets `Key` to its own name.
    private static func levelProps(_ level: PropertyLevel) -> [String: String] {
        ["Key": level.rawValue]
    }

    private static func replica(without removed: Set<PropertyLevel> = []) -> EffectiveProperties {
        func props(_ level: PropertyLevel) -> [String: String]? { removed.contains(level) ? nil : Self.levelProps(level) }
        return EffectiveProperties.resource(
            props(.resource) ?? [:], definition: props(.resourceDefinition), group: props(.resourceGroup), node: props(.node),
            controller: props(.controller) ?? [:])
    }

    /// The value of `Key` as the levels above it are taken away one at a time.
    private static func winners(_ order: [PropertyLevel], build: (Set<PropertyLevel>) -> EffectiveProperties) -> [String?] {
        order.indices.map { index in build(Set(order.prefix(index)))["Key"] }
    }

    @Test func replicaOrderIsResourceDefinitionGroupNodeController() {
        let order: [PropertyLevel] = [.resource, .resourceDefinition, .resourceGroup, .node, .controller]
        #expect(Self.replica().levels.map(\.kind) == order)
        #expect(Self.winners(order, build: Self.replica(without:)) == order.map { Optional($0.rawValue) })
    }

    @Test func volumeChainPutsVolumeLevelsBetweenTheReplicaLevels() {
        let order: [PropertyLevel] = [.volume, .resource, .volumeDefinition, .volumeGroup, .resourceDefinition, .resourceGroup, .node, .controller]
        func volume(without removed: Set<PropertyLevel>) -> EffectiveProperties {
            func props(_ level: PropertyLevel) -> [String: String]? { removed.contains(level) ? nil : Self.levelProps(level) }
            let replica = EffectiveProperties.resource(
                props(.resource) ?? [:], definition: props(.resourceDefinition), group: props(.resourceGroup), node: props(.node),
                controller: props(.controller) ?? [:])
            return replica.volume(props(.volume), definition: props(.volumeDefinition), group: props(.volumeGroup))
        }
        #expect(volume(without: []).levels.map(\.kind) == order)
        #expect(Self.winners(order, build: volume) == order.map { Optional($0.rawValue) })
        #expect(volume(without: [.volume, .resource])["Key"] == "volumeDefinition")
    }

    @Test func definitionPoolNodeAndConnectionChains() {
        let definition = EffectiveProperties.resourceDefinition(["A": "rd"], group: ["A": "rg", "B": "rg"], controller: ["A": "c", "B": "c", "C": "c"])
        #expect([definition["A"], definition["B"], definition["C"], definition["D"]] == ["rd", "rg", "c", nil])

        let pool = EffectiveProperties.storagePool(["A": "sp"], node: ["A": "n", "B": "n"], controller: ["A": "c", "B": "c", "C": "c"])
        #expect([pool["A"], pool["B"], pool["C"]] == ["sp", "n", "c"])
        #expect(pool.levels.map(\.kind) == [.storagePool, .node, .controller])

        let node = EffectiveProperties.node(["A": "n"], controller: ["A": "c", "B": "c"])
        #expect([node["A"], node["B"]] == ["n", "c"])

        let connection = EffectiveProperties.connection(
            resourceConnection: ["A": "rc"], definition: ["A": "rd", "B": "rd"], nodeConnection: ["A": "nc", "B": "nc", "C": "nc"],
            group: ["A": "rg", "B": "rg", "C": "rg", "D": "rg"], controller: ["E": "c"])
        #expect([connection["A"], connection["B"], connection["C"], connection["D"], connection["E"]] == ["rc", "rd", "nc", "rg", "c"])
    }

    @Test func winnerAndShadowedLevels() {
        let chain = EffectiveProperties.resource(["A": "1"], definition: nil, group: ["A": "2", "B": "2"], node: nil, controller: ["A": "3"])
        #expect(chain.winner(of: "A") == .resource)
        #expect(chain.winner(of: "B") == .resourceGroup)
        #expect(chain.winner(of: "Z") == nil)
        #expect(chain.levels(setting: "A") == [.resource, .resourceGroup, .controller])
        #expect(chain.levels.map(\.kind) == [.resource, .resourceGroup, .controller])
    }

    @Test func valuesMergeEveryMatchingKeyFirstHitWins() {
        let replica = EffectiveProperties.resource(
            ["DrbdOptions/Net/protocol": "A"], definition: ["DrbdOptions/Net/protocol": "B", "DrbdOptions/Disk/al-extents": "7"],
            group: nil, node: ["Aux/x": "1"], controller: ["DrbdOptions/Disk/al-extents": "9", "DrbdOptions/Resource/quorum": "off"])
        #expect(
            replica.values { $0.hasPrefix("DrbdOptions/") } == [
                "DrbdOptions/Net/protocol": "A", "DrbdOptions/Disk/al-extents": "7", "DrbdOptions/Resource/quorum": "off",
            ])
        // Keys owned by the volume levels only, but the replica's value still overrides the volume definition's.
        let volume = replica.volume(nil, definition: ["DrbdOptions/Net/protocol": "C", "DrbdOptions/Disk/md-flushes": "no"], group: nil)
        #expect(
            volume.values(where: { $0.hasPrefix("DrbdOptions/") }, setOn: [.volume, .volumeDefinition, .volumeGroup]) == [
                "DrbdOptions/Net/protocol": "A", "DrbdOptions/Disk/md-flushes": "no",
            ])
    }
}
