import Foundation
import Testing

@testable import DepotSatellite

/// The token file python-linstor reads: LINSTOR's format, root-only, replaced whole.
@Suite struct RESTTokenFileTests {
    static func scratch() -> String {
        NSTemporaryDirectory() + "depot-token-\(UUID().uuidString)"
    }

    @Test func writesLINSTORsFormatReadableByRootOnly() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = RESTTokenFile(path: directory + "/linstor.d/auth.json")
        try file.write("first")
        try file.write("second")
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file.path))) as? [String: String]
        #expect(document == ["token": "second"])
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/linstor.d") == ["auth.json"])
    }

    @Test func aFileThatCannotBeWrittenSaysWhere() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data().write(to: URL(fileURLWithPath: directory))
        #expect {
            try RESTTokenFile(path: directory + "/auth.json").write("token")
        } throws: { error in
            (error as? RESTTokenFile.WriteFailure)?.description.contains(directory) == true
        }
    }
}
