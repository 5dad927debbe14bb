import DepotModel
import Testing

@Suite struct ReturnCodeTests {
    @Test func createdResourceMatchesLINSTOR() {
        // LINSTOR answers a created resource with CREATED | MASK_CRT | MASK_RSC = 0x1340001.
        #expect(ReturnCode.created.inContext(.create, .resource).rawValue == 20_185_089)
    }

    @Test func nodeExistsOnCreateMatchesLINSTOR() {
        let code = ReturnCode.failExistsNode.inContext(.create, .node)
        #expect(code.rawValue == -4_611_686_018_406_678_028)
        #expect(code.isError)
        #expect(code.code == 500)
    }

    @Test func severityBits() {
        #expect(ReturnCode.warnNotConnected.isWarning)
        #expect(!ReturnCode.warnNotConnected.isError)
        #expect(ReturnCode.infoNoResourceSpawned.isInfo)
        #expect(!ReturnCode.created.isError && !ReturnCode.created.isWarning && !ReturnCode.created.isInfo)
        #expect(UInt64(bitPattern: ReturnCode.failNotFoundNode.rawValue) == 0xC000_0000_0000_012C)
    }

    @Test func contextKeepsExistingMasks() {
        let volumeCreated = ReturnCode(rawValue: ReturnCode.created.rawValue | 0x2C_0000)
        #expect(volumeCreated.inContext(.create, .resource).rawValue == 0x12C_0001)
        let deleted = ReturnCode.deleted.inContext(.delete, .resourceDefinition)
        #expect(deleted.rawValue == 0x338_0002)
    }

    @Test func parseErrorCarriesNoMasks() {
        let code = ReturnCode.apiCallParseError.inContext(.create, .node)
        #expect(code == .apiCallParseError)
        #expect(UInt64(bitPattern: code.rawValue) == 0xCFFF_FFFF_FFFF_FFFD)
    }
}
