import DepotModel
import DepotWire
import HashTreeCollections
import Testing

@testable import DepotController

@Suite struct DRBDAllocationTests {
    @Test func articleSharedDataGetsPort7000AndMinor1000() throws {
        var transaction = try ClusterTransaction.article()
        _ = try transaction.createResourceDefinition(Body.definition("SharedData", layers: ["drbd", "storage"]))
        _ = try transaction.createVolumeDefinition("SharedData", Body.volume(153_600))
        _ = try transaction.createResources("SharedData", ["kronos", "remus", "romulus"].map { Body.resource(on: $0) })
        let resources = transaction.model.resources(ofDefinition: ObjectKey("SharedData"))
        #expect(resources.map { $0.drbd?.tcpPorts } == [[7000], [7000], [7000]])
        #expect(Set(resources.compactMap { $0.drbd?.nodeID }) == [0, 1, 2])
        #expect(resources.allSatisfy { $0.drbd?.peerSlots == 7 })
        #expect(transaction.model.resourceDefinitions[ObjectKey("SharedData")]?.volumeDefinitions[0]?.drbdMinor == 1000)
    }

    @Test func secondResourceGetsNextNumbersAndDeletesFreeThem() throws {
        var transaction = try ClusterTransaction.article()
        for name in ["first", "second"] {
            _ = try transaction.createResourceDefinition(Body.definition(name))
            _ = try transaction.createVolumeDefinition(name, Body.volume(1024))
            _ = try transaction.createResources(name, [Body.resource(on: "vulcan"), Body.resource(on: "kronos")])
        }
        let second = try transaction.model.resource("second", on: "vulcan")
        #expect(second.drbd?.tcpPorts == [7001])
        #expect(transaction.model.resourceDefinitions[ObjectKey("second")]?.volumeDefinitions[0]?.drbdMinor == 1001)

        _ = try transaction.deleteResourceDefinition("first")
        // DRBD replicas wait for their nodes even when offline; numbers are freed once they confirmed.
        #expect(transaction.model.usedMinors.numbers == [1000, 1001])
        _ = transaction.finishDeletes([ResourceKey(resource: ObjectKey("first"), node: ObjectKey("vulcan")), ResourceKey(resource: ObjectKey("first"), node: ObjectKey("kronos"))])
        #expect(transaction.model.resourceDefinitions[ObjectKey("first")] == nil)
        #expect(transaction.model.usedMinors.numbers == [1001])
        _ = try transaction.createResourceDefinition(Body.definition("third"))
        _ = try transaction.createVolumeDefinition("third", Body.volume(1024))
        _ = try transaction.createResources("third", [Body.resource(on: "kronos")])
        #expect(try transaction.model.resource("third", on: "kronos").drbd?.tcpPorts == [7000])
        #expect(transaction.model.resourceDefinitions[ObjectKey("third")]?.volumeDefinitions[0]?.drbdMinor == 1000)
    }

    @Test func nodeIDsAreLowestFreePerDefinition() throws {
        var transaction = try ClusterTransaction.article()
        _ = try transaction.createResourceDefinition(Body.definition("r1"))
        _ = try transaction.createResources("r1", ["romulus", "remus", "vulcan"].map { Body.resource(on: $0) })
        _ = try transaction.deleteResource("r1", "remus")
        _ = transaction.finishDeletes([ResourceKey(resource: ObjectKey("r1"), node: ObjectKey("remus"))])
        _ = try transaction.createResources("r1", [Body.resource(on: "kronos")])
        #expect(try transaction.model.resource("r1", on: "kronos").drbd?.nodeID == 1)
    }

    @Test func exhaustedPortRangeAnswersLINSTORsCode() throws {
        var transaction = try ClusterTransaction.article()
        _ = try transaction.modifyNode("vulcan", NodeModification(props: PropertyChange(overrideProps: ["TcpPortAutoRange": "7000-7001"])))
        for name in ["a1", "a2"] {
            _ = try transaction.createResourceDefinition(Body.definition(name))
            _ = try transaction.createResources(name, [Body.resource(on: "vulcan")])
        }
        _ = try transaction.createResourceDefinition(Body.definition("a3"))
        #expect { try transaction.createResources("a3", [Body.resource(on: "vulcan")]) } throws: {
            ($0 as? DepotError)?.code == .failPoolExhaustedTCPPort
        }
    }

    @Test func exhaustedMinorRangeAnswersLINSTORsCode() throws {
        var transaction = try ClusterTransaction.article()
        _ = try transaction.modifyControllerProps(PropertyChange(overrideProps: ["MinorNrAutoRange": "1000-1000"]))
        _ = try transaction.createResourceDefinition(Body.definition("mm"))
        _ = try transaction.createVolumeDefinition("mm", Body.volume(1024))
        #expect { try transaction.createVolumeDefinition("mm", Body.volume(1024)) } throws: {
            ($0 as? DepotError)?.code == .failPoolExhaustedMinorNumber
        }
    }

    @Test func peerSlotsLimitReplicas() throws {
        var transaction = try ClusterTransaction.article()
        var create = Body.definition("small")
        create.drbdPeerSlots = 1
        _ = try transaction.createResourceDefinition(create)
        #expect { try transaction.createResources("small", ["romulus", "remus", "vulcan"].map { Body.resource(on: $0) }) } throws: {
            ($0 as? DepotError)?.code == .failInsufficientPeerSlots
        }
    }

    @Test func disklessResourcesUseTheDisklessPool() throws {
        var transaction = try ClusterTransaction.article()
        _ = try transaction.createResourceDefinition(Body.definition("dd"))
        _ = try transaction.createVolumeDefinition("dd", Body.volume(1024))
        _ = try transaction.createResources("dd", [Body.resource(on: "kronos", pool: nil, flags: ["DRBD_DISKLESS"])])
        let resource = try transaction.model.resource("dd", on: "kronos")
        #expect(resource.flags == ["DISKLESS", "DRBD_DISKLESS"])
        #expect(resource.volumes[0]?.storagePoolName == "DfltDisklessStorPool")
        #expect(resource.drbd?.nodeID == 0)
    }

    @Test func storageOnlyResourcesHaveNoDRBDData() throws {
        var transaction = try ClusterTransaction.article()
        _ = try transaction.createResourceDefinition(Body.definition("LocalData", layers: ["storage"]))
        _ = try transaction.createVolumeDefinition("LocalData", Body.volume(153_600))
        _ = try transaction.createResources("LocalData", [Body.resource(on: "vulcan"), Body.resource(on: "kronos")])
        #expect(try transaction.model.resource("LocalData", on: "vulcan").drbd == nil)
        #expect(transaction.model.resourceDefinitions[ObjectKey("LocalData")]?.volumeDefinitions[0]?.drbdMinor == nil)
        #expect(transaction.model.usedMinors.numbers.isEmpty)
    }
}
