import DepotModel
import DepotWire
import HashTreeCollections
import Testing

@testable import DepotController

/// What the controller refuses to protect data, when a moved replica counts as complete, and how
/// quorum protection comes back after a replica change.
@Suite struct ReplicaSafetyTests {
    /// A replica's report: its disk state on volume 0, its role, and replication with its peers.
    static func report(
        _ disk: String, primary: Bool = false, peers: [String: DRBDReplicationReport] = [:], connected: Set<String>? = nil
    ) -> ResourceReport {
        let connections = Dictionary(
            uniqueKeysWithValues: peers.keys.map { peer in
                (peer, DRBDConnectionReport(state: (connected ?? Set(peers.keys)).contains(peer) ? "Connected" : "Connecting"))
            })
        return ResourceReport(
            name: "SharedData", volumes: [VolumeReport(number: 0, devicePath: nil, allocatedKiB: nil, usableKiB: nil, diskState: disk, replication: peers)],
            failure: nil,
            drbd: DRBDResourceReport(role: primary ? "Primary" : "Secondary", inUse: primary, mayPromote: nil, promotionScore: nil, connections: connections))
    }

    static let inSync = DRBDReplicationReport(state: "Established", donePercentage: nil, peerDiskState: "UpToDate", outOfSyncKiB: 0)

    /// SharedData on kronos, remus and vulcan, with what each node reported.
    static func observed(_ reports: [String: ResourceReport]) throws -> ClusterTransaction {
        let model = try DRBDAutomationTests.shared(on: ["kronos", "remus", "vulcan"]).model
        let keyed = Dictionary(uniqueKeysWithValues: reports.map { (ResourceKey(resource: ObjectKey("SharedData"), node: ObjectKey($0.key)), $0.value) })
        return ClusterTransaction(
            model: model, now: 2,
            capabilities: { _ in NodeCapabilitiesDTO(storageProviders: ["DISKLESS", "LVM_THIN"], resourceLayers: ["DRBD", "STORAGE"]) },
            isOnline: { _ in true }, observed: { keyed[$0] })
    }

    static func refusedInUse(_ body: () throws(DepotError) -> Void) -> DepotError? {
        do {
            try body()
            return nil
        } catch {
            return error.code == .failInUse ? error : nil
        }
    }

    @Test func aReplicaInUseIsNeitherDeletedNorMadeDisklessNorMigratedAway() throws {
        let upToDate = Self.report("UpToDate")
        var transaction = try Self.observed(["kronos": Self.report("UpToDate", primary: true), "remus": upToDate, "vulcan": upToDate])
        let deleted = Self.refusedInUse { () throws(DepotError) in _ = try transaction.deleteResource("SharedData", "kronos") }
        #expect(deleted?.message == "Resource 'SharedData' is still in use on node 'kronos'; it cannot be deleted.")
        #expect(deleted?.correction?.contains("Un-mount resource 'SharedData' on the node 'kronos'") == true)
        #expect(Self.refusedInUse { () throws(DepotError) in _ = try transaction.toggleDisk("SharedData", "kronos", .diskless(pool: nil)) } != nil)
        #expect(Self.refusedInUse { () throws(DepotError) in _ = try transaction.deleteResourceDefinition("SharedData") } != nil)
        _ = try transaction.createResources("SharedData", [Body.resource(on: "romulus", pool: nil, flags: ["DRBD_DISKLESS"])])
        #expect(
            Self.refusedInUse { () throws(DepotError) in
                _ = try transaction.toggleDisk("SharedData", "romulus", .diskful(pool: "thinpool"), migrateFrom: "kronos")
            } != nil)
        // Nothing changed, and a replica nobody uses goes as before.
        #expect(try transaction.model.resource("SharedData", on: "kronos").flags.contains(ResourceFlag.delete) == false)
        _ = try transaction.deleteResource("SharedData", "remus")
        #expect(try transaction.model.resource("SharedData", on: "remus").flags.contains(ResourceFlag.delete))
    }

    @Test func theOnlyUpToDateReplicaKeepsItsDisk() throws {
        var transaction = try Self.observed([
            "kronos": Self.report("UpToDate"), "remus": Self.report("Outdated"), "vulcan": Self.report("SyncTarget(12.00%)"),
        ])
        let refused = Self.refusedInUse { () throws(DepotError) in _ = try transaction.deleteResource("SharedData", "kronos") }
        #expect(refused?.message == "Resource 'SharedData' on node 'kronos' holds the only UpToDate data; it cannot be deleted.")
        #expect(refused?.cause?.contains("'remus': Outdated") == true)
        #expect(Self.refusedInUse { () throws(DepotError) in _ = try transaction.toggleDisk("SharedData", "kronos", .diskless(pool: nil)) } != nil)
        // The replicas without good data may go; deleting the definition is the deliberate way, and
        // so is deleting the single replica of a resource that is not replicated.
        var single = try DRBDAutomationTests.shared(on: ["kronos"])
        single = ClusterTransaction(model: single.model, now: 3, isOnline: { _ in true }, observed: { _ in Self.report("UpToDate") })
        _ = try single.deleteResource("SharedData", "kronos")
        #expect(try single.model.resource("SharedData", on: "kronos").flags.contains(ResourceFlag.delete))
        _ = try transaction.deleteResource("SharedData", "remus")
        _ = try transaction.deleteResourceDefinition("SharedData")
        #expect(try transaction.model.resourceDefinition("SharedData").flags.contains(ResourceFlag.delete))
    }

    @Test func aMoveIsCompleteOnlyWhenInSyncWithAConnectedUpToDatePeer() {
        // UpToDate before the handshake: the peers are not connected yet.
        #expect(!ClusterTransaction.isMigrationComplete(Self.report("UpToDate", peers: ["kronos": Self.inSync], connected: [])))
        let syncing = DRBDReplicationReport(state: "SyncSource", donePercentage: 2.79, peerDiskState: "Inconsistent", outOfSyncKiB: 149_000)
        #expect(!ClusterTransaction.isMigrationComplete(Self.report("UpToDate", peers: ["kronos": Self.inSync, "remus": syncing])))
        let pending = DRBDReplicationReport(state: "Established", donePercentage: nil, peerDiskState: "UpToDate", outOfSyncKiB: 4)
        #expect(!ClusterTransaction.isMigrationComplete(Self.report("UpToDate", peers: ["kronos": pending])))
        #expect(!ClusterTransaction.isMigrationComplete(Self.report("SyncTarget(99.00%)", peers: ["kronos": Self.inSync])))
        #expect(ClusterTransaction.isMigrationComplete(Self.report("UpToDate", peers: ["kronos": Self.inSync, "remus": Self.inSync])))
        // An unreachable third peer does not hold the move back.
        #expect(ClusterTransaction.isMigrationComplete(Self.report("UpToDate", peers: ["kronos": Self.inSync, "remus": syncing], connected: ["kronos"])))
    }

    @Test func aMigrationWaitsWhileTheOldReplicaIsInUse() throws {
        var transaction = try Self.observed(["vulcan": Self.report("UpToDate")])
        _ = try transaction.createResources("SharedData", [Body.resource(on: "romulus", pool: nil, flags: ["DRBD_DISKLESS"])])
        _ = try transaction.toggleDisk("SharedData", "romulus", .diskful(pool: "thinpool"), migrateFrom: "vulcan")
        let model = transaction.model
        var busy = ClusterTransaction(
            model: model, now: 3, isOnline: { _ in true },
            observed: { key in
                key.node == ObjectKey("vulcan") ? Self.report("UpToDate", primary: true) : nil
            })
        _ = try busy.finishMigrations([ResourceKey(resource: ObjectKey("SharedData"), node: ObjectKey("romulus"))])
        #expect(try busy.model.resource("SharedData", on: "vulcan").flags.contains(ResourceFlag.delete) == false)
        #expect(try busy.model.resource("SharedData", on: "romulus").props[ClusterTransaction.migrateFromKey] == "vulcan")
    }

    @Test func nodeLostKeepsTheTieBreakerOnTheFreedNode() throws {
        var transaction = try AutoPlaceOperationTests.cluster(online: ["romulus", "kronos", "vulcan"])
        _ = try transaction.createResourceGroup(Body.group("pair", placeCount: 2))
        try AutoPlaceOperationTests.definition(&transaction, "Pair", group: "pair")
        _ = try transaction.createResources("Pair", ["romulus", "remus"].map { Body.resource(on: $0) })
        let before = transaction.model.resources(ofDefinition: ObjectKey("Pair"))
        #expect(before.first { $0.flags.contains(ResourceFlag.tieBreaker) }?.nodeName == "kronos")
        let replies = try transaction.loseNode("remus")
        let after = transaction.model.resources(ofDefinition: ObjectKey("Pair"))
        #expect(after.filter { !$0.isDiskless }.map(\.nodeName) == ["romulus", "vulcan"])
        let tieBreaker = try #require(after.first { $0.flags.contains(ResourceFlag.tieBreaker) })
        #expect(tieBreaker.nodeName == "kronos" && !tieBreaker.flags.contains(ResourceFlag.delete))
        #expect(try transaction.model.resourceDefinition("Pair").props[DRBDKeys.quorum] == "majority")
        #expect(!replies.contains { $0.code == .warnNotEnoughNodesForTieBreaker }, "\(replies.map(\.message))")
    }

    @Test func restoringANodeGivesItTheMissingTieBreaker() throws {
        var transaction = try AutoPlaceOperationTests.cluster()
        _ = try transaction.evacuateNode("kronos", NodeEvacuation())
        _ = try transaction.evacuateNode("romulus", NodeEvacuation())
        try AutoPlaceOperationTests.definition(&transaction, "Pair")
        _ = try transaction.createResources("Pair", ["remus", "vulcan"].map { Body.resource(on: $0) })
        #expect(transaction.lacksQuorumProtection(try transaction.model.resourceDefinition("Pair")))
        let replies = try transaction.restoreNode("kronos")
        #expect(replies.contains { $0.code == .infoTieBreakerCreated }, "\(replies.map(\.message))")
        #expect(transaction.model.resources[ResourceKey(resource: ObjectKey("Pair"), node: ObjectKey("kronos"))]?.flags.contains(ResourceFlag.tieBreaker) == true)
    }

    @Test func aNodeComingBackGetsTheMissingTieBreaker() throws {
        var offline = try AutoPlaceOperationTests.cluster(online: ["remus", "vulcan"])
        try AutoPlaceOperationTests.definition(&offline, "Pair")
        let replies = try offline.createResources("Pair", ["remus", "vulcan"].map { Body.resource(on: $0) })
        #expect(replies.contains { $0.code == .warnNotEnoughNodesForTieBreaker })
        #expect(offline.lacksQuorumProtection(try offline.model.resourceDefinition("Pair")))
        #expect(try offline.model.resourceDefinition("Pair").props[DRBDKeys.quorum] == "off")
        var back = ClusterTransaction(
            model: offline.model, now: 3,
            capabilities: { _ in NodeCapabilitiesDTO(storageProviders: ["DISKLESS", "LVM_THIN"], resourceLayers: ["DRBD", "STORAGE"]) },
            isOnline: { _ in true })
        _ = try back.restoreQuorumProtection()
        #expect(back.model.resources(ofDefinition: ObjectKey("Pair")).contains { $0.flags.contains(ResourceFlag.tieBreaker) })
        #expect(try back.model.resourceDefinition("Pair").props[DRBDKeys.quorum] == "majority")
        #expect(!back.lacksQuorumProtection(try back.model.resourceDefinition("Pair")))
    }
}
