import DepotModel
import DepotWire
import Testing

@testable import DepotController

/// Catalogue keys through the operations that take properties.
@Suite struct PropertyCatalogOperationTests {
    /// LINBIT's Proxmox plugin creates every disk's definition with `DrbdOptions/ExactSize`, directly
    /// or by spawning from its resource group.
    @Test func exactSizeIsTakenByDefinitionsAndBySpawn() throws {
        var transaction = try ClusterTransaction.article()
        var create = ResourceDefinitionCreateDTO()
        create.resourceDefinition.name = "vm-100-disk-0"
        create.resourceDefinition.props = ["DrbdOptions/ExactSize": "yes"]
        _ = try transaction.createResourceDefinition(create)
        #expect(try transaction.model.resourceDefinition("vm-100-disk-0").props["DrbdOptions/ExactSize"] == "true")

        var group = ResourceGroupDTO()
        group.name = "pve"
        _ = try transaction.createResourceGroup(group)
        var volumeGroup = VolumeGroupDTO()
        volumeGroup.volumeNumber = 0
        _ = try transaction.createVolumeGroup("pve", volumeGroup)
        var spawn = ResourceGroupSpawnDTO()
        spawn.resourceDefinitionName = "vm-101-disk-0"
        spawn.volumeSizes = [10_240]
        spawn.definitionsOnly = true
        spawn.resourceDefinitionProps = ["DrbdOptions/ExactSize": "False"]
        _ = try transaction.spawn("pve", spawn)
        #expect(try transaction.model.resourceDefinition("vm-101-disk-0").props["DrbdOptions/ExactSize"] == "false", "stored as LINSTOR stores it")

        spawn.resourceDefinitionName = "vm-102-disk-0"
        spawn.resourceDefinitionProps = ["DrbdOptions/ExactSiz": "yes"]
        #expect { try transaction.spawn("pve", spawn) } throws: {
            ($0 as? DepotError)?.correction?.contains("DrbdOptions/ExactSize") == true
        }
    }
}
