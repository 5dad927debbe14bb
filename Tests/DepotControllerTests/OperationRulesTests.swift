import DepotModel
import DepotWire
import HashTreeCollections
import Testing

@testable import DepotController

@Suite struct OperationRulesTests {
    @Test func nodeWithResourcesCannotBeDeletedButCanBeLost() throws {
        var transaction = try ClusterTransaction.article()
        _ = try transaction.createResourceDefinition(Body.definition("rs"))
        _ = try transaction.createResources("rs", [Body.resource(on: "vulcan"), Body.resource(on: "kronos")])
        #expect { try transaction.deleteNode("vulcan") } throws: { ($0 as? DepotError)?.code == .failNodeHasUsedResource }
        _ = try transaction.loseNode("vulcan")
        #expect(transaction.model.nodes[ObjectKey("vulcan")] == nil)
        #expect(transaction.model.resources(ofDefinition: ObjectKey("rs")).map(\.nodeName) == ["kronos"])
        #expect(transaction.model.storagePools.keys.allSatisfy { $0.node != ObjectKey("vulcan") })
    }

    @Test func satelliteNodesGetTheDisklessPool() throws {
        let transaction = try ClusterTransaction.article()
        #expect(transaction.model.storagePools[StoragePoolKey(node: ObjectKey("remus"), pool: ObjectKey("DfltDisklessStorPool"))]?.providerKind == .diskless)
    }

    @Test func storagePoolInUseCannotBeDeletedAndDefinitionOutlivesPools() throws {
        var transaction = try ClusterTransaction.article()
        _ = try transaction.createResourceDefinition(Body.definition("rs", layers: ["storage"]))
        _ = try transaction.createVolumeDefinition("rs", Body.volume(1024))
        _ = try transaction.createResources("rs", [Body.resource(on: "vulcan")])
        #expect { try transaction.deleteStoragePool("vulcan", "thinpool") } throws: { ($0 as? DepotError)?.code == .failInUse }
        _ = try transaction.deleteResourceDefinition("rs")
        for node in ["romulus", "remus", "vulcan", "kronos"] { _ = try transaction.deleteStoragePool(node, "thinpool") }
        #expect(transaction.model.storagePoolDefinitions[ObjectKey("thinpool")] != nil)
        _ = try transaction.deleteStoragePoolDefinition("thinpool")
        #expect(transaction.model.storagePoolDefinitions[ObjectKey("thinpool")] == nil)
    }

    @Test func defaultStoragePoolIsUsedWhenNoneIsNamed() throws {
        var transaction = try ClusterTransaction.article()
        _ = try transaction.createResourceDefinition(Body.definition("rs", layers: ["storage"]))
        #expect { try transaction.createResources("rs", [Body.resource(on: "vulcan", pool: nil)]) } throws: {
            ($0 as? DepotError)?.code == .failNotFoundDefaultStoragePool
        }
        _ = try transaction.createStoragePool("vulcan", Body.pool("DfltStorPool", "FILE_THIN", backing: "/var/lib/depot/pool"))
        _ = try transaction.createResources("rs", [Body.resource(on: "vulcan", pool: nil)])
        #expect(try transaction.model.resource("rs", on: "vulcan").volumes.isEmpty)
    }

    @Test func volumeDefinitionsReachExistingResources() throws {
        var transaction = try ClusterTransaction.article()
        _ = try transaction.createResourceDefinition(Body.definition("rs"))
        _ = try transaction.createResources("rs", [Body.resource(on: "vulcan")])
        _ = try transaction.createVolumeDefinition("rs", Body.volume(1024))
        _ = try transaction.createVolumeDefinition("rs", Body.volume(2048))
        #expect(try transaction.model.resource("rs", on: "vulcan").volumes.keys.sorted() == [0, 1])
        _ = try transaction.deleteVolumeDefinition("rs", 0)
        #expect(try transaction.model.resource("rs", on: "vulcan").volumes.keys.sorted() == [1])
        #expect(transaction.model.usedMinors.numbers == [1001])
    }

    @Test func shrinkingADeployedVolumeIsRefused() throws {
        var transaction = try ClusterTransaction.article()
        _ = try transaction.createResourceDefinition(Body.definition("rs"))
        _ = try transaction.createVolumeDefinition("rs", Body.volume(2048))
        _ = try transaction.modifyVolumeDefinition("rs", 0, VolumeDefinitionModification(sizeKiB: 4096))
        _ = try transaction.createResources("rs", [Body.resource(on: "vulcan")])
        let shrink = VolumeDefinitionModification(sizeKiB: 1024)
        #expect { try transaction.modifyVolumeDefinition("rs", 0, shrink) } throws: { ($0 as? DepotError)?.code == .failInvalidVolumeSize }
    }

    @Test func badInputIsRejectedWithItsCode() throws {
        var transaction = try ClusterTransaction.article()
        #expect { try transaction.createNode(Body.node("romulus")) } throws: { ($0 as? DepotError)?.code == .failExistsNode }
        #expect { try transaction.createNode(Body.node("bad name")) } throws: { ($0 as? DepotError)?.code == .failInvalidNodeName }
        #expect { try transaction.createNode(Body.node("n9", address: "not-an-ip")) } throws: { ($0 as? DepotError)?.code == .failInvalidNetAddress }
        #expect { try transaction.createNode(Body.node("n9", "Sattelite")) } throws: { ($0 as? DepotError)?.code == .failInvalidNodeType }
        #expect { try transaction.createStoragePool("ghost", Body.pool("pool1")) } throws: { ($0 as? DepotError)?.code == .failNotFoundNode }
        #expect { try transaction.createStoragePool("vulcan", Body.pool("pool1", "SPDK")) } throws: { ($0 as? DepotError)?.code == .failInvalidStorageDriver }
        #expect { try transaction.createStoragePool("vulcan", Body.pool("pool1", "LVM", backing: "vg;rm -rf /")) } throws: { ($0 as? DepotError)?.code == .failInvalidProperty }
        #expect { try transaction.createStoragePool("vulcan", Body.pool("pool1", "LVM", backing: nil)) } throws: { ($0 as? DepotError)?.code == .failMissingProps }
        #expect { try transaction.createResourceDefinition(Body.definition("xx", layers: ["nvme", "storage"])) } throws: { ($0 as? DepotError)?.code == .failInvalidLayerKind }
        _ = try transaction.createResourceDefinition(Body.definition("rs"))
        #expect { try transaction.createVolumeDefinition("rs", Body.volume(-1)) } throws: { ($0 as? DepotError)?.code == .failInvalidVolumeSize }
        #expect { try transaction.createVolumeDefinition("rs", Body.volume(1 << 50)) } throws: { ($0 as? DepotError)?.code == .failInvalidVolumeSize }
        #expect { try transaction.createResources("rs", [Body.resource(on: "ghost")]) } throws: { ($0 as? DepotError)?.code == .failNotFoundNode }
        #expect { try transaction.createResources("rs", [Body.resource(on: "vulcan", pool: "nopool")]) } throws: { ($0 as? DepotError)?.code == .failNotFoundStoragePool }
    }

    @Test func resourceGroupsAndSpawn() throws {
        var transaction = try ClusterTransaction.article()
        var group = Body.group("profile", placeCount: 3, pool: "thinpool")
        group.selectFilter?.layerStack = ["drbd", "storage"]
        _ = try transaction.createResourceGroup(group)
        _ = try transaction.createVolumeGroup("profile", NewVolumeGroup(number: 0))

        var spawn = ResourceGroupSpawn(definitionName: "vm1", volumeSizes: [10_240])
        let before = transaction.model.resourceDefinitions.count
        #expect { try transaction.spawn("profile", spawn) } throws: { ($0 as? DepotError)?.code == .failNotEnoughNodes }
        #expect(transaction.model.resourceDefinitions.count == before)

        spawn.definitionsOnly = true
        let replies = try transaction.spawn("profile", spawn)
        #expect(replies.last?.code == .infoNoResourceSpawned)
        let definition = try transaction.model.resourceDefinition("vm1")
        #expect(definition.resourceGroupName == "profile")
        #expect(definition.volumeDefinitions[0]?.sizeKiB == 10_240)
        #expect(definition.layerStack == [.drbd, .storage])

        spawn.definitionName = "vm2"
        spawn.volumeSizes = [1024, 2048]
        #expect { try transaction.spawn("profile", spawn) } throws: { ($0 as? DepotError)?.code == .failInvalidVolumeSizes }
        // Partial: the extra size gets the next volume number, as in LINSTOR.
        spawn.isPartial = true
        spawn.definitionsOnly = true
        _ = try transaction.spawn("profile", spawn)
        #expect(try transaction.model.resourceDefinition("vm2").volumeDefinitions.keys.sorted() == [0, 1])
        // A group without volume groups spawns in partial mode, and says so first.
        _ = try transaction.createResourceGroup(Body.group("bare", placeCount: 3, pool: "thinpool"))
        var bareSpawn = ResourceGroupSpawn(definitionName: "vm3", volumeSizes: [1024])
        bareSpawn.definitionsOnly = true
        let bare = try transaction.spawn("bare", bareSpawn)
        #expect(bare.first?.message == "Resource-group doesn't have any volume-groups, automatically assume partial mode.")
        #expect(bare.first?.code.isInfo == true)
        #expect { try transaction.deleteResourceGroup("profile") } throws: { ($0 as? DepotError)?.code == .failExistsResourceDefinition }
        #expect { try transaction.deleteResourceGroup("DfltRscGrp") } throws: { ($0 as? DepotError)?.code == .failInUse }
    }
}
