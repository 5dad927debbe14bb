import DepotModel
import Testing

@Suite struct AllocationTests {
    @Test func lowestFreeSkipsUsedNumbers() {
        #expect(NumberAllocation.lowestFree(in: 1000...1005, excluding: []) == 1000)
        #expect(NumberAllocation.lowestFree(in: 1000...1005, excluding: [1000, 1001, 1003]) == 1002)
        #expect(NumberAllocation.lowestFree(in: 7000...7001, excluding: [7000, 7001]) == nil)
    }

    @Test func rangesParseLikeLINSTORProperties() {
        #expect(AllocationRange.parse("7000-7999", within: 1...65535) == 7000...7999)
        #expect(AllocationRange.parse(" 10 - 20 ", within: 1...65535) == 10...20)
        #expect(AllocationRange.parse("20-10", within: 1...65535) == nil)
        #expect(AllocationRange.parse("0-10", within: 1...65535) == nil)
        #expect(AllocationRange.parse("abc", within: 1...65535) == nil)
        #expect(AllocationRange.parse("1-2-3", within: 1...65535) == nil)
    }

    @Test func volumeSizes() throws {
        try VolumeSize.validate(1)
        try VolumeSize.validate(VolumeSize.maximumKiB)
        #expect(throws: DepotError.self) { try VolumeSize.validate(0) }
        #expect(throws: DepotError.self) { try VolumeSize.validate(-5) }
        #expect(throws: DepotError.self) { try VolumeSize.validate(VolumeSize.maximumKiB + 1) }
    }

    @Test func backingVolumeNames() {
        #expect(Volume.backingName(resource: "LocalData", volumeNumber: 0) == "LocalData_00000")
        #expect(Volume.backingName(resource: "r", volumeNumber: 123) == "r_00123")
    }

    @Test func identifiersAreWellFormed() {
        let uuid = Identifier.makeUUID()
        #expect(uuid.count == 36)
        #expect(Array(uuid)[14] == "4")
        #expect(uuid != Identifier.makeUUID())
        #expect(Identifier.makeDRBDSecret().count == 20)
    }
}
