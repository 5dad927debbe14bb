import DepotWire
import Foundation
import Testing

@Suite struct JSONWriterTests {
    /// Both outputs parsed back, so key order and number spelling do not matter.
    private func same(_ written: [UInt8], _ encoded: Data) throws -> Bool {
        let left = try JSONSerialization.jsonObject(with: Data(written)) as? NSDictionary
        let right = try JSONSerialization.jsonObject(with: encoded) as? NSDictionary
        return left != nil && left == right
    }

    private func fullResource() -> ResourceDTO {
        var definitionLayer = DRBDResourceDefinitionLayerDTO()
        definitionLayer.peerSlots = 7
        definitionLayer.alStripes = 1
        definitionLayer.alStripeSizeKiB = 32
        definitionLayer.port = -1
        definitionLayer.transportType = "IP"
        definitionLayer.secret = "s\"e\\c\nr\tet\u{01}ü"
        definitionLayer.down = false
        var volumeDefinition = DRBDVolumeDefinitionDTO()
        volumeDefinition.volumeNumber = 0
        volumeDefinition.minorNumber = 1000
        var drbdVolume = DRBDVolumeDTO()
        drbdVolume.drbdVolumeDefinition = volumeDefinition
        drbdVolume.devicePath = "/dev/drbd1000"
        drbdVolume.metaDisk = "internal"
        drbdVolume.allocatedSizeKiB = 153_672
        drbdVolume.usableSizeKiB = 153_600
        drbdVolume.diskState = "UpToDate"
        var connection = DRBDConnectionDTO()
        connection.connected = true
        connection.message = "Connected"
        var drbd = DRBDResourceDTO()
        drbd.drbdResourceDefinition = definitionLayer
        drbd.nodeID = 2
        drbd.tcpPorts = [7000, 7001]
        drbd.peerSlots = 7
        drbd.alStripes = 1
        drbd.alSize = 32
        drbd.flags = ["DISKLESS"]
        drbd.drbdVolumes = [drbdVolume]
        drbd.connections = ["kronos": connection]
        drbd.promotionScore = 10
        drbd.mayPromote = true
        var storageVolume = StorageVolumeDTO()
        storageVolume.volumeNumber = 0
        storageVolume.usableSizeKiB = 153_672
        storageVolume.devicePath = "/dev/loop3"
        var storage = StorageResourceDTO()
        storage.storageVolumes = [storageVolume]
        var luksVolume = LUKSVolumeDTO()
        luksVolume.volumeNumber = 0
        luksVolume.opened = false
        var luks = LUKSResourceDTO()
        luks.luksVolumes = [luksVolume]
        var storageLayer = ResourceLayerDTO()
        storageLayer.type = "STORAGE"
        storageLayer.storage = storage
        var luksLayer = ResourceLayerDTO()
        luksLayer.type = "LUKS"
        luksLayer.luks = luks
        luksLayer.children = [storageLayer]
        var top = ResourceLayerDTO()
        top.type = "DRBD"
        top.resourceNameSuffix = "x"
        top.drbd = drbd
        top.children = [luksLayer]
        var volume = VolumeDTO()
        volume.volumeNumber = 0
        volume.storagePoolName = "thinpool"
        volume.providerKind = "LVM_THIN"
        volume.devicePath = "/dev/drbd1000"
        volume.usableSizeKiB = 153_600
        volume.allocatedSizeKiB = 1
        volume.props = ["Aux/a": "1", "Aux/b": "\"quoted\""]
        volume.flags = ["RESIZE"]
        var volumeState = VolumeStateDTO()
        volumeState.diskState = "UpToDate"
        volume.state = volumeState
        var drbdData = VolumeLayerDTO()
        drbdData.type = "DRBD"
        drbdData.data = .drbd(drbdVolume)
        var luksData = VolumeLayerDTO()
        luksData.type = "LUKS"
        luksData.data = .luks(luksVolume)
        var storageData = VolumeLayerDTO()
        storageData.type = "STORAGE"
        storageData.data = .storage(storageVolume)
        volume.layerDataList = [drbdData, luksData, storageData]
        volume.uuid = "u"
        volume.reports = [ApiCallRcDTO(retCode: -1, message: "m", cause: "c", correction: "k", details: "d", objRefs: ["Node": "n"])]
        var state = ResourceStateDTO()
        state.inUse = false
        var resource = ResourceDTO()
        resource.name = "SharedData"
        resource.nodeName = "vulcan"
        resource.props = ["StorPoolName": "thinpool"]
        resource.flags = ["DRBD_DISKLESS", "DISKLESS"]
        resource.layerObject = top
        resource.state = state
        resource.uuid = "uuid"
        resource.createTimestamp = 1_700_000_000_000
        resource.volumes = [volume]
        resource.sharedName = "shared"
        return resource
    }

    @Test func resourceMatchesJSONEncoder() throws {
        let resource = self.fullResource()
        var writer = JSONWriter()
        resource.writeJSON(to: &writer)
        #expect(try self.same(writer.bytes, JSONEncoder().encode(resource)))
    }

    @Test func sparseResourceMatchesJSONEncoder() throws {
        var resource = ResourceDTO()
        resource.name = "r"
        var writer = JSONWriter()
        resource.writeJSON(to: &writer)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #"{"name":"r"}"#)
        #expect(try self.same(writer.bytes, JSONEncoder().encode(resource)))
    }

    @Test func definitionMatchesJSONEncoder() throws {
        var layer = DRBDResourceDefinitionLayerDTO()
        layer.peerSlots = 7
        layer.secret = "abc"
        var drbd = ResourceDefinitionLayerDTO()
        drbd.type = "DRBD"
        drbd.data = layer
        var storage = ResourceDefinitionLayerDTO()
        storage.type = "STORAGE"
        var definition = ResourceDefinitionDTO()
        definition.name = "SharedData"
        definition.externalName = "ext\u{2028}name"
        definition.props = ["Aux/x": "y"]
        definition.flags = ["DELETE"]
        definition.layerData = [drbd, storage]
        definition.uuid = "u"
        definition.resourceGroupName = "DfltRscGrp"
        var writer = JSONWriter()
        definition.writeJSON(to: &writer)
        #expect(try self.same(writer.bytes, JSONEncoder().encode(definition)))
    }
}
