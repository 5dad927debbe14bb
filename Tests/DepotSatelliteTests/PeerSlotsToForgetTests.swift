import Foundation
import Testing

@testable import DepotSatellite

@Suite struct PeerSlotsToForgetTests {
    @Test func slotsStillToFreeSurviveARestart() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("depot-forget-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var slots = PeerSlotsToForget(directory: directory)
        slots.update("SharedData", dropped: [2, 3], wanted: [0, 1])
        slots.update("Other", dropped: [1], wanted: [])
        // The satellite restarts after the adjust deleted the connections, before forget-peer ran.
        var restarted = PeerSlotsToForget(directory: directory)
        #expect(restarted["SharedData"] == [2, 3])
        restarted.forgotten("SharedData", nodeID: 2)
        // A node-id given to a new peer is no longer to be forgotten.
        restarted.update("SharedData", dropped: [], wanted: [3])
        restarted.removeAll(of: "Other")
        #expect(PeerSlotsToForget(directory: directory).slots.isEmpty)
    }
}
