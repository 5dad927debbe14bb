import DepotModel
import DepotWire
import HashTreeCollections
import Testing

@testable import DepotController

/// Quorum, tie-breaker, initial sync source, toggle-disk and migration as the controller derives them.
@Suite struct DRBDAutomationTests {
    /// The article's cluster with every satellite online and running DRBD.
    static func online() throws -> ClusterTransaction {
        let model = try ClusterTransaction.article().model
        return ClusterTransaction(
            model: model, now: 1,
            capabilities: { _ in NodeCapabilitiesDTO(storageProviders: ["DISKLESS", "LVM_THIN"], resourceLayers: ["DRBD", "STORAGE"]) },
            isOnline: { _ in true })
    }

    static func shared(on nodes: [String]) throws -> ClusterTransaction {
        var transaction = try Self.online()
        _ = try transaction.createResourceDefinition(Body.definition("SharedData", layers: ["drbd", "storage"]))
        _ = try transaction.createVolumeDefinition("SharedData", Body.volume(153_600))
        _ = try transaction.createResources("SharedData", nodes.map { Body.resource(on: $0) })
        return transaction
    }

    static func resources(_ transaction: ClusterTransaction) -> [Resource] {
        transaction.model.resources(ofDefinition: ObjectKey("SharedData"))
    }

    @Test func threeReplicasGetQuorumMajorityAndNoTieBreaker() throws {
        let transaction = try Self.shared(on: ["kronos", "remus", "vulcan"])
        let definition = try transaction.model.resourceDefinition("SharedData")
        #expect(definition.props[DRBDKeys.quorum] == "majority")
        #expect(definition.props[DRBDKeys.onNoQuorum] == "io-error")
        #expect(Self.resources(transaction).count == 3)
        let volume = try #require(definition.volumeDefinitions[0])
        #expect(volume.props[DRBDKeys.initialUpToDateOn] == "kronos")
        #expect(volume.props[DRBDKeys.currentGenerationID]?.count == 16)
    }

    @Test func twoReplicasGetATieBreakerOnAThirdNodeAndQuorum() throws {
        var transaction = try Self.shared(on: ["remus", "vulcan"])
        let tieBreaker = try #require(Self.resources(transaction).first { $0.flags.contains(ResourceFlag.tieBreaker) })
        #expect(tieBreaker.nodeName == "kronos", "the first eligible node by name")
        #expect(tieBreaker.isDiskless && tieBreaker.flags.contains(ResourceFlag.drbdDiskless))
        #expect(tieBreaker.drbd != nil)
        #expect(try transaction.model.resourceDefinition("SharedData").props[DRBDKeys.quorum] == "majority")
        // A third disk makes the tie-breaker unnecessary.
        _ = try transaction.createResources("SharedData", [Body.resource(on: "romulus")])
        let after = Self.resources(transaction)
        #expect(after.first { $0.nodeName == "kronos" }?.flags.contains(ResourceFlag.delete) == true)
    }

    @Test func tieBreakerCanBeSwitchedOff() throws {
        var transaction = try Self.online()
        _ = try transaction.setControllerPropsForTest([DRBDKeys.autoTieBreaker: "false"])
        _ = try transaction.createResourceDefinition(Body.definition("SharedData", layers: ["drbd", "storage"]))
        _ = try transaction.createResources("SharedData", ["remus", "vulcan"].map { Body.resource(on: $0) })
        #expect(Self.resources(transaction).count == 2)
        #expect(try transaction.model.resourceDefinition("SharedData").props[DRBDKeys.quorum] == "off")
    }

    @Test func quorumTheUserSetIsLeftAlone() throws {
        var transaction = try Self.online()
        var create = Body.definition("SharedData", layers: ["drbd", "storage"])
        create.props = [DRBDKeys.quorum: "off"]
        _ = try transaction.createResourceDefinition(create)
        _ = try transaction.createResources("SharedData", ["remus", "vulcan", "kronos"].map { Body.resource(on: $0) })
        #expect(try transaction.model.resourceDefinition("SharedData").props[DRBDKeys.quorum] == "off")
    }

    @Test func toggleDiskMakesAClientAndBackAndKeepsTheLastDisk() throws {
        var transaction = try Self.shared(on: ["kronos", "remus", "vulcan"])
        _ = try transaction.toggleDisk("SharedData", "vulcan", .diskless(pool: nil))
        let client = try transaction.model.resource("SharedData", on: "vulcan")
        #expect(client.isDiskless && client.volumes[0]?.storagePoolName == DefaultStoragePool.diskless)
        _ = try transaction.toggleDisk("SharedData", "vulcan", .diskful(pool: "thinpool"))
        let diskful = try transaction.model.resource("SharedData", on: "vulcan")
        #expect(!diskful.isDiskless && diskful.volumes[0]?.storagePoolName == "thinpool")
        #expect(diskful.drbd?.nodeID == client.drbd?.nodeID)

        var lonely = try Self.shared(on: ["kronos"])
        #expect { try lonely.toggleDisk("SharedData", "kronos", .diskless(pool: nil)) } throws: {
            ($0 as? DepotError)?.code == .failInUse
        }
    }

    @Test func migrationDeletesTheOldReplicaOnlyOnceTheNewOneIsUpToDate() throws {
        var transaction = try Self.shared(on: ["kronos", "remus", "vulcan"])
        _ = try transaction.createResources("SharedData", [Body.resource(on: "romulus", pool: nil, flags: ["DRBD_DISKLESS"])])
        _ = try transaction.toggleDisk("SharedData", "romulus", .diskful(pool: "thinpool"), migrateFrom: "vulcan")
        #expect(try transaction.model.resource("SharedData", on: "vulcan").flags.contains(ResourceFlag.delete) == false)
        _ = try transaction.finishMigrations([ResourceKey(resource: ObjectKey("SharedData"), node: ObjectKey("romulus"))])
        #expect(try transaction.model.resource("SharedData", on: "vulcan").flags.contains(ResourceFlag.delete))
        #expect(try transaction.model.resource("SharedData", on: "romulus").props[ClusterTransaction.migrateFromKey] == nil)
    }

    @Test func desiredStateNamesPeersAddressesAndTheInitialSource() throws {
        let transaction = try Self.shared(on: ["kronos", "remus", "vulcan"])
        let snapshot = ClusterSnapshot(version: 7, model: transaction.model, resourceJSON: [:], definitionJSON: [:], order: ClusterSnapshot.SortedKeys(model: transaction.model))
        let kronos = try #require(DesiredStateBuilder.state(for: ObjectKey("kronos"), in: snapshot) { $0 == ObjectKey("remus") ? "remus-host" : nil })
        let resource = try #require(kronos.resources.first)
        let drbd = try #require(resource.drbd)
        #expect(drbd.address == "127.0.0.14")
        #expect(drbd.port == 7000)
        #expect(drbd.peers.map(\.nodeName) == ["remus", "vulcan"])
        #expect(drbd.peers.map(\.hostName) == ["remus-host", "vulcan"])
        #expect(drbd.options[DRBDKeys.quorum] == "majority")
        #expect(resource.volumes.first?.drbd?.minor == 1000)
        #expect(resource.volumes.first?.drbd?.initialSource == true)
        #expect(resource.volumes.first?.drbd?.skipInitialSync == true, "LVM_THIN peers skip the full sync")
        let remus = try #require(DesiredStateBuilder.state(for: ObjectKey("remus"), in: snapshot))
        #expect(remus.resources.first?.volumes.first?.drbd?.initialSource == false)
    }

    /// A deactivated replica: its peers drop the connection but keep its bitmap slot, it counts for
    /// neither quorum nor tie-breaking, and activating brings all of it back.
    @Test func aDeactivatedReplicaIsNoPeerButKeepsItsSlot() throws {
        var transaction = try Self.shared(on: ["kronos", "remus", "vulcan"])
        let vulcanID = try #require(transaction.model.resources[ResourceKey(resource: ObjectKey("SharedData"), node: ObjectKey("vulcan"))]?.drbd?.nodeID)
        _ = try transaction.deactivateResource("SharedData", "vulcan")
        #expect(try transaction.deactivateResource("SharedData", "vulcan").first?.code == .infoNoop)
        let snapshot = ClusterSnapshot(version: 8, model: transaction.model, resourceJSON: [:], definitionJSON: [:], order: ClusterSnapshot.SortedKeys(model: transaction.model))
        let kronos = try #require(DesiredStateBuilder.state(for: ObjectKey("kronos"), in: snapshot)?.resources.first?.drbd)
        #expect(kronos.peers.map(\.nodeName) == ["remus", "romulus"], "vulcan is no peer; romulus holds the tie-breaker")
        #expect(kronos.inactivePeerNodeIDs == [vulcanID])
        let vulcan = try #require(DesiredStateBuilder.state(for: ObjectKey("vulcan"), in: snapshot)?.resources.first)
        #expect(vulcan.flags.contains(ResourceFlag.inactive))
        // Two active disks and a free fourth node: the tie-breaker automation sees two replicas.
        #expect(Self.resources(transaction).contains { $0.flags.contains(ResourceFlag.tieBreaker) && $0.nodeName == "romulus" })

        _ = try transaction.activateResource("SharedData", "vulcan")
        #expect(try transaction.activateResource("SharedData", "vulcan").first?.code == .infoNoop)
        let after = ClusterSnapshot(version: 9, model: transaction.model, resourceJSON: [:], definitionJSON: [:], order: ClusterSnapshot.SortedKeys(model: transaction.model))
        let back = try #require(DesiredStateBuilder.state(for: ObjectKey("kronos"), in: after)?.resources.first?.drbd)
        #expect(Set(back.peers.map(\.nodeName)).isSuperset(of: ["remus", "vulcan"]))
        #expect(back.inactivePeerNodeIDs == nil)
    }
}

extension ClusterTransaction {
    mutating func setControllerPropsForTest(_ props: [String: String]) throws {
        var merged = self.model.controllerProps
        merged.merge(props) { _, new in new }
        self.setControllerProps(merged)
    }
}
