import DepotModel
import Testing

@Suite struct LayerSizesTests {
    private func sizes(_ stack: [LayerKind], flags: Set<String> = [], peerSlots: Int? = nil, sizeKiB: Int64 = 1_048_576) -> LayerSizes {
        var definition = ResourceDefinition(name: "r", layerStack: stack, resourceGroupName: "DfltRscGrp", uuid: "d")
        if stack.contains(.drbd) { definition.drbd = DRBDResourceDefinitionData(peerSlots: peerSlots ?? 7, preferredPort: nil, secret: "s") }
        let volume = VolumeDefinition(number: 0, sizeKiB: sizeKiB, uuid: "v")
        let resource = Resource(resourceName: "r", nodeName: "n", props: [:], flags: flags, layerStack: stack, createTimestamp: 0, uuid: "u")
        return LayerSizes(resource: resource, definition: definition, volume: volume)
    }

    @Test func storageOnlyKeepsTheNetSize() {
        let sizes = self.sizes([.storage])
        #expect(sizes.storageKiB == 1_048_576)
        #expect(sizes.drbdGrossKiB == nil)
        #expect(sizes.luksGrossKiB == nil)
    }

    @Test func drbdAddsInternalMetadataForItsPeerSlots() throws {
        let expected = try DRBDMetadataLayout(peerSlots: 7).internalGrossSizeKiB(forUsableKiB: 1_048_576)
        let sizes = self.sizes([.drbd, .storage])
        #expect(sizes.drbdGrossKiB == expected)
        #expect(sizes.storageKiB == expected)
        #expect(expected > 1_048_576)
        let fewer = try DRBDMetadataLayout(peerSlots: 1).internalGrossSizeKiB(forUsableKiB: 1_048_576)
        #expect(self.sizes([.drbd, .storage], peerSlots: 1).storageKiB == fewer)
    }

    @Test func luksAddsItsHeaderBelowDRBD() throws {
        let drbdGross = try DRBDMetadataLayout(peerSlots: 7).internalGrossSizeKiB(forUsableKiB: 1_048_576)
        let sizes = self.sizes([.drbd, .luks, .storage])
        #expect(sizes.luksNetKiB == drbdGross)
        #expect(sizes.luksGrossKiB == drbdGross + LayerSizes.luksHeaderKiB)
        #expect(sizes.storageKiB == drbdGross + LayerSizes.luksHeaderKiB)
    }

    @Test func disklessReplicaNeedsNoStorage() {
        let sizes = self.sizes([.drbd, .storage], flags: [ResourceFlag.diskless, ResourceFlag.drbdDiskless])
        #expect(sizes.drbdGrossKiB == nil)
        #expect(sizes.storageKiB == 0)
    }
}
