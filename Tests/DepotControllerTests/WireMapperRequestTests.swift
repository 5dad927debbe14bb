import DepotModel
import DepotWire
import Testing

@testable import DepotController

/// LINSTOR's request bodies become the operations' requests without losing or reinterpreting a field.
@Suite struct WireMapperRequestTests {
    @Test func resourceCreateBodyKeepsEveryField() {
        var dto = ResourceCreateDTO()
        dto.resource.nodeName = "vulcan"
        dto.resource.flags = ["drbd_diskless"]
        dto.resource.uuid = "u"
        dto.layerList = ["drbd", "storage"]
        dto.drbdClient = true
        dto.drbdNodeID = 3
        dto.drbdTCPPorts = [7010]
        let request = WireMapper.newResource(dto)
        #expect(request.nodeName == "vulcan")
        #expect(request.props.isEmpty)
        #expect(request.flags == ["drbd_diskless"], "flags keep the caller's spelling; the operation checks them")
        #expect(request.layerStack == ["drbd", "storage"])
        #expect(request.isDRBDClient)
        #expect(request.drbdNodeID == 3)
        #expect(request.drbdTCPPorts == [7010])
        #expect(request.drbdTCPPortCount == nil)
        #expect(request.uuid == "u")
    }

    @Test func autoPlaceTopLevelFieldsWinWhenSet() {
        var dto = AutoPlaceRequestDTO()
        #expect(WireMapper.autoPlaceFilter(dto) == AutoSelectFilter(), "'{}' leaves everything to the group")
        var given = AutoSelectFilterDTO()
        given.placeCount = 2
        given.layerStack = ["drbd", "luks", "storage"]
        given.disklessOnRemaining = true
        dto.selectFilter = given
        #expect(WireMapper.autoPlaceFilter(dto).layerStack == ["drbd", "luks", "storage"])
        dto.layerList = []
        #expect(WireMapper.autoPlaceFilter(dto).layerStack == ["drbd", "luks", "storage"], "an empty list is not given")
        dto.layerList = ["drbd", "storage"]
        dto.disklessOnRemaining = false
        let filter = WireMapper.autoPlaceFilter(dto)
        #expect(filter.layerStack == ["drbd", "storage"])
        #expect(filter.disklessOnRemaining == false)
        #expect(filter.placeCount == 2)
    }

    @Test func groupModifyReplacesOnlyTheFieldsItSets() {
        var group = AutoSelectFilter()
        group.placeCount = 3
        group.storagePool = "thinpool"
        group.nodeNameList = ["a", "b"]
        var dto = ResourceGroupModifyDTO()
        var filter = AutoSelectFilterDTO()
        filter.storagePoolList = ["other"]
        filter.nodeNameList = []
        dto.selectFilter = filter
        dto.overrideProps = ["Aux/x": "1"]
        dto.deleteProps = ["Aux/y"]
        let modification = WireMapper.resourceGroupModification(dto)
        #expect(modification.props == PropertyChange(overrideProps: ["Aux/x": "1"], deleteProps: ["Aux/y"]))
        let replaced = modification.selectFilter?.replacingFields(of: group)
        #expect(replaced?.placeCount == 3)
        #expect(replaced?.storagePool == nil, "the pool fields are one setting, as LINSTOR keeps one list")
        #expect(replaced?.storagePoolList == ["other"])
        #expect(replaced?.nodeNameList == [])
    }

    @Test func toggleDiskOperations() throws {
        var dto = ToggleDiskDTO()
        dto.storagePool = "pool"
        guard case .diskful(pool: "pool") = try WireMapper.diskToggle(dto) else {
            Issue.record("no operation gives a disk")
            return
        }
        dto.operation = "into_drbd_client"
        guard case .diskless(pool: "pool") = try WireMapper.diskToggle(dto) else {
            Issue.record("a client is diskless")
            return
        }
        dto.operation = "INTO_NOTHING"
        #expect { try WireMapper.diskToggle(dto) } throws: { ($0 as? DepotError)?.code == .failInvalidRequest }
    }

    @Test func storagePoolAndNodeBodies() {
        var pool = StoragePoolDTO()
        pool.storagePoolName = "p"
        pool.providerKind = "lvm_thin"
        pool.sharedSpace = "shared"
        #expect(WireMapper.newStoragePool(pool).freeSpaceManagerName == "shared")
        #expect(WireMapper.newStoragePool(pool).externalLocking == false)
        pool.freeSpaceMgrName = "own"
        #expect(WireMapper.newStoragePool(pool).freeSpaceManagerName == "own")

        var interface = NetInterfaceDTO()
        interface.name = "default"
        interface.satelliteEncryptionType = "ssl"
        interface.isActive = true
        var node = NodeDTO()
        node.name = "n1"
        node.type = "satellite"
        node.netInterfaces = [interface]
        let request = WireMapper.newNode(node)
        #expect(request.netInterfaces.first?.encryptionType == "ssl")
        #expect(request.netInterfaces.first?.isActive == true)
        #expect(WireMapper.nodeEvacuation(nil).targets.isEmpty)
    }
}
