import Foundation
import Testing

@testable import DepotSatellite

/// Deposed controllers are refused, also after the satellite restarts.
@Suite struct FencingGateTests {
    @Test func aLowerTokenIsRefusedAndTheMarkSurvivesARestart() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("depot-fencing-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let gate = FencingGate(directory: directory)
        #expect(gate.admit(nil), "a lone controller has no token")
        #expect(gate.admit(4))
        #expect(gate.isCurrent(4))
        #expect(gate.admit(7))
        #expect(!gate.isCurrent(4), "the session of token 4 stops taking orders")
        #expect(!gate.admit(5))
        #expect(gate.admit(7), "the holder reconnects")

        let restarted = FencingGate(directory: directory)
        #expect(restarted.highestToken == 7)
        #expect(!restarted.admit(6))
    }
}
