import DepotModel
import DepotWire
import HashTreeCollections
import Testing

@testable import DepotController

/// Autoplace, spawn, adjust, evacuate and node lost as transactions on the article's cluster, with
/// every satellite online and reporting capacity.
@Suite struct AutoPlaceOperationTests {
    /// Free space per node (KiB) in its thin pool; total 1 TiB each.
    static func cluster(free: [String: Int64] = ["romulus": 400 << 20, "remus": 300 << 20, "vulcan": 200 << 20, "kronos": 150 << 20], online: Set<String>? = nil)
        throws -> ClusterTransaction
    {
        let model = try ClusterTransaction.article().model
        let reports = free
        return ClusterTransaction(
            model: model, now: 1,
            capabilities: { _ in NodeCapabilitiesDTO(storageProviders: ["DISKLESS", "LVM_THIN"], resourceLayers: ["DRBD", "STORAGE"]) },
            isOnline: { key in online.map { $0.contains(key.rawValue.lowercased()) } ?? true },
            poolReport: { key in
                guard key.pool == ObjectKey("thinpool"), let free = reports.first(where: { ObjectKey($0.key) == key.node })?.value else { return nil }
                return StoragePoolReport(name: "thinpool", freeKiB: free, totalKiB: 1 << 30, failure: nil)
            })
    }

    static func definition(_ transaction: inout ClusterTransaction, _ name: String = "SharedData", group: String? = nil) throws {
        var body = Body.definition(name, layers: ["drbd", "storage"])
        body.resourceGroupName = group
        _ = try transaction.createResourceDefinition(body)
        _ = try transaction.createVolumeDefinition(name, Body.volume(153_600))
    }

    static func count(_ n: Int) -> AutoSelectFilter {
        var filter = AutoSelectFilter()
        filter.placeCount = n
        return filter
    }

    static func diskfulNodes(_ transaction: ClusterTransaction, _ name: String = "SharedData") -> [String] {
        transaction.model.resources(ofDefinition: ObjectKey(name)).filter { !$0.isDiskless && !$0.flags.contains(ResourceFlag.delete) }.map(\.nodeName).sorted()
    }

    @Test func autoPlaceUsesTheFreestNodesAndSaysWhere() throws {
        var transaction = try Self.cluster()
        try Self.definition(&transaction)
        let replies = try transaction.autoPlace("SharedData", Self.count(3))
        #expect(Self.diskfulNodes(transaction) == ["remus", "romulus", "vulcan"])
        let summary = try #require(replies.first { $0.message.contains("successfully autoplaced on 3 nodes") })
        #expect(summary.details == "Used nodes (storage pool name): 'romulus (thinpool)', 'remus (thinpool)', 'vulcan (thinpool)'")
        #expect(try transaction.model.resourceDefinition("SharedData").props[DRBDKeys.quorum] == "majority")
        // Asking again for 3 is a warning that changes nothing.
        let again = try transaction.autoPlace("SharedData", Self.count(3))
        #expect(again.map(\.code) == [.warnResourceAlreadyDeployed])
    }

    @Test func anUnsatisfiableRequestExplainsEveryNodeAndChangesNothing() throws {
        var transaction = try Self.cluster(online: ["romulus", "remus"])
        try Self.definition(&transaction)
        let before = transaction.model.resources.count
        do {
            _ = try transaction.autoPlace("SharedData", Self.count(3))
            Issue.record("placement succeeded with two online nodes")
        } catch {
            #expect(error.code == .failNotEnoughNodes)
            #expect(error.cause?.contains("needs 3 more nodes") == true && error.cause?.contains("2 fit: remus, romulus") == true)
            #expect(error.details?.contains("node 'kronos' is offline") == true)
            #expect(error.details?.contains("node 'vulcan' is offline") == true)
        }
        #expect(transaction.model.resources.count == before)
    }

    @Test func dryRunAnswersWithTheChoiceAndScores() throws {
        var transaction = try Self.cluster()
        try Self.definition(&transaction)
        let changes = transaction.changes.count
        let replies = try transaction.autoPlace("SharedData", Self.count(2), dryRun: true)
        #expect(replies.count == 1 && replies[0].code == .infoDryRun)
        #expect(replies[0].message.contains("romulus (thinpool), remus (thinpool)"))
        #expect(replies[0].details?.contains("* romulus (thinpool, LVM_THIN): score 1.00000") == true)
        #expect(transaction.changes.count == changes, "a dry run changes nothing")
    }

    @Test func spawnPlacesOrLeavesNothingBehind() throws {
        var transaction = try Self.cluster()
        let group = Body.group("web", placeCount: 2, pool: "thinpool")
        _ = try transaction.createResourceGroup(group)
        _ = try transaction.createVolumeGroup("web", NewVolumeGroup())
        var spawn = ResourceGroupSpawn(definitionName: "site1", volumeSizes: [20_480])
        _ = try transaction.spawn("web", spawn)
        #expect(Self.diskfulNodes(transaction, "site1") == ["remus", "romulus"])

        var failing = try Self.cluster(online: ["romulus"])
        _ = try failing.createResourceGroup(group)
        _ = try failing.createVolumeGroup("web", NewVolumeGroup())
        #expect(throws: DepotError.self) { _ = try failing.spawn("web", spawn) }
        spawn.isDryRun = true
        var dry = try Self.cluster()
        _ = try dry.createResourceGroup(group)
        _ = try dry.createVolumeGroup("web", NewVolumeGroup())
        let replies = try dry.spawn("web", spawn)
        #expect(replies.contains { $0.code == .infoDryRun })
        #expect(dry.model.resourceDefinitions[ObjectKey("site1")] == nil, "a dry spawn creates nothing")
    }

    @Test func adjustBringsDefinitionsToTheGroupsCount() throws {
        var transaction = try Self.cluster()
        _ = try transaction.createResourceGroup(Body.group("web", placeCount: 3))
        try Self.definition(&transaction, group: "web")
        _ = try transaction.createResources("SharedData", [Body.resource(on: "kronos")])
        _ = try transaction.adjustResourceGroups("web", AutoSelectFilter())
        #expect(Self.diskfulNodes(transaction).count == 3)
        #expect(Self.diskfulNodes(transaction).contains("kronos"))
    }

    @Test func evacuationPlacesAReplacementThatTakesOver() throws {
        var transaction = try Self.cluster()
        try Self.definition(&transaction)
        _ = try transaction.createResources("SharedData", ["romulus", "remus", "vulcan"].map { Body.resource(on: $0) })
        let replies = try transaction.evacuateNode("vulcan", NodeEvacuation())
        let kronos = try transaction.model.resource("SharedData", on: "kronos")
        #expect(!kronos.isDiskless && kronos.props[ClusterTransaction.migrateFromKey] == "vulcan")
        #expect(transaction.model.nodes[ObjectKey("vulcan")]?.flags.contains(NodeFlag.evacuate) == true)
        #expect(replies.contains { $0.message.contains("moves from 'vulcan' to 'kronos'") })
        // Resumable: a second run sees the move under way and places nothing more.
        _ = try transaction.evacuateNode("vulcan", NodeEvacuation())
        #expect(Self.diskfulNodes(transaction) == ["kronos", "remus", "romulus", "vulcan"])
        // New resources are refused there while it is evacuated.
        try Self.definition(&transaction, "Other")
        #expect(throws: DepotError.self) { _ = try transaction.createResources("Other", [Body.resource(on: "vulcan")]) }
        _ = try transaction.finishMigrations([ResourceKey(resource: ObjectKey("SharedData"), node: ObjectKey("kronos"))])
        #expect(transaction.model.resources[ResourceKey(resource: ObjectKey("SharedData"), node: ObjectKey("vulcan"))]?.flags.contains(ResourceFlag.delete) == true)
    }

    @Test func aLostNodesReplicasArePlacedAgain() throws {
        var transaction = try Self.cluster(online: ["romulus", "remus", "kronos"])
        _ = try transaction.createResourceGroup(Body.group("web", placeCount: 2))
        try Self.definition(&transaction, group: "web")
        _ = try transaction.createResources("SharedData", ["romulus", "vulcan"].map { Body.resource(on: $0) })
        let replies = try transaction.loseNode("vulcan")
        #expect(transaction.model.nodes[ObjectKey("vulcan")] == nil)
        #expect(Self.diskfulNodes(transaction).count == 2 && !Self.diskfulNodes(transaction).contains("vulcan"))
        #expect(replies.contains { $0.message.contains("successfully autoplaced on 1 nodes") })
        #expect(throws: DepotError.self) { _ = try transaction.loseNode("romulus") }
    }

    @Test func disklessPlacementCreatesClients() throws {
        var transaction = try Self.cluster()
        try Self.definition(&transaction)
        _ = try transaction.createResources("SharedData", ["romulus", "remus", "vulcan"].map { Body.resource(on: $0) })
        var filter = Self.count(1)
        filter.disklessType = "DRBD_DISKLESS"
        _ = try transaction.autoPlace("SharedData", filter)
        let client = try transaction.model.resource("SharedData", on: "kronos")
        #expect(client.isDiskless && client.flags.contains(ResourceFlag.drbdDiskless))
    }

    @Test func evacuatingNodesGetNoTieBreaker() throws {
        var transaction = try Self.cluster()
        _ = try transaction.evacuateNode("kronos", NodeEvacuation())
        try Self.definition(&transaction)
        _ = try transaction.createResources("SharedData", ["remus", "vulcan"].map { Body.resource(on: $0) })
        let tieBreaker = transaction.model.resources(ofDefinition: ObjectKey("SharedData")).first { $0.flags.contains(ResourceFlag.tieBreaker) }
        #expect(tieBreaker?.nodeName == "romulus")
    }

    @Test func replicatedCapacityPacksTheLargestPoolsFirst() {
        #expect(PlacementInventory.packed([100, 100, 100], replicas: 3) == 100)
        #expect(PlacementInventory.packed([300, 100, 100, 100], replicas: 2) == 300)
        #expect(PlacementInventory.packed([50, 0], replicas: 2) == 0)
    }
}
