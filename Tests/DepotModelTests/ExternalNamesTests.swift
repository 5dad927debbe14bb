import DepotModel
import Foundation
import Testing

/// LINSTOR's `ExternalNameConverter`, case by case.
@Suite struct ExternalNamesTests {
    private func name(_ external: String, taken: Set<String> = []) -> String? {
        ExternalNames.resourceName(for: external, isTaken: { taken.contains($0) })
    }

    @Test func aUUIDGetsThePrefixAndUpperCase() {
        #expect(self.name("6f1c5e1a-4b7e-4c1e-9b1a-2f3d4e5f6a7b") == "LS_6F1C5E1A-4B7E-4C1E-9B1A-2F3D4E5F6A7B")
    }

    @Test func aValidNameIsKept() {
        #expect(self.name("volume-7c9e") == "volume-7c9e")
    }

    @Test func otherBytesAreTranslated() {
        #expect(self.name("my vol/1") == "my_vol_1")
        #expect(self.name("1abc") == "xabc", "a digit cannot lead: 49 % 52 = 49, the 24th small letter")
        #expect(self.name("Größe") == "GrJWJte", "UTF-8 bytes as Java's signed bytes")
        #expect(self.name(String(repeating: "ä", count: 30))?.utf8.count == 48, "only the first 48 bytes count")
    }

    @Test func anUnusableResultIsARandomName() throws {
        let short = try #require(self.name("x"))
        #expect(short.hasPrefix("LS_") && short.count == 39 && short == short.lowercased().replacingOccurrences(of: "ls_", with: "LS_"))
        let taken = try #require(self.name("volume-7c9e", taken: ["volume-7c9e"]))
        #expect(taken.hasPrefix("LS_") && taken != "volume-7c9e")
        #expect(self.name(String(repeating: "a", count: 257)) == nil)
    }
}
