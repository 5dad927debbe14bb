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
        _ = try transaction.createResourceDefinition(NewResourceDefinition(name: "vm-100-disk-0", props: ["DrbdOptions/ExactSize": "yes"]))
        #expect(try transaction.model.resourceDefinition("vm-100-disk-0").props["DrbdOptions/ExactSize"] == "true")

        _ = try transaction.createResourceGroup(NewResourceGroup(name: "pve"))
        _ = try transaction.createVolumeGroup("pve", NewVolumeGroup(number: 0))
        var spawn = ResourceGroupSpawn(
            definitionName: "vm-101-disk-0", volumeSizes: [10_240], definitionsOnly: true, definitionProps: ["DrbdOptions/ExactSize": "False"])
        _ = try transaction.spawn("pve", spawn)
        #expect(try transaction.model.resourceDefinition("vm-101-disk-0").props["DrbdOptions/ExactSize"] == "false", "stored as LINSTOR stores it")

        spawn.definitionName = "vm-102-disk-0"
        spawn.definitionProps = ["DrbdOptions/ExactSiz": "yes"]
        #expect { try transaction.spawn("pve", spawn) } throws: {
            ($0 as? DepotError)?.correction?.contains("DrbdOptions/ExactSize") == true
        }
    }
}
