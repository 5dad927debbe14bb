import Foundation
import Testing

@testable import DepotCLI

/// The bearer token from LINSTOR's `auth.json` format.
@Suite struct BearerTokenFileTests {
    @Test func readsTheTokenAndRefusesANamedFileWithoutOne() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("depot-auth-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try #"{"token": "abcDEF123"}"#.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try BearerTokenFile.read(path) == "abcDEF123")
        try #"{"other": 1}"#.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: CLIFailure.self) { try BearerTokenFile.read(path) }
        #expect(throws: CLIFailure.self) { try BearerTokenFile.read(path + ".missing") }
    }
}
