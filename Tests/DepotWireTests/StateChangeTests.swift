import DepotModel
import DepotWire
import Foundation
import Testing

@Suite struct StateChangeTests {
    private func resource(_ name: String, sizeKiB: Int64 = 4096) -> DesiredResource {
        DesiredResource(
            name: name, layers: [.storage], flags: [],
            volumes: [DesiredVolume(number: 0, storagePool: "pool", sizeKiB: sizeKiB, storageSizeKiB: sizeKiB)])
    }

    private func state(_ version: UInt64, _ resources: [DesiredResource]) -> DesiredNodeState {
        DesiredNodeState(
            version: version, nodeName: "alpha",
            storagePools: [DesiredStoragePool(name: "pool", providerKind: .fileThin, backingName: "/var/pool", props: [:])],
            resources: resources)
    }

    private func report(_ version: UInt64, _ names: [String], diskState: String = "UpToDate") -> NodeReport {
        NodeReport(
            appliedVersion: version, storagePools: [StoragePoolReport(name: "pool", freeKiB: 100, totalKiB: 200, failure: nil)],
            resources: names.map {
                ResourceReport(name: $0, volumes: [VolumeReport(number: 0, devicePath: "/dev/loop0", allocatedKiB: 0, usableKiB: 4096, diskState: diskState)], failure: nil)
            })
    }

    @Test func aChangeCarriesOnlyWhatDiffersAndRebuildsTheNewState() throws {
        let base = self.state(7, [self.resource("a"), self.resource("b"), self.resource("c")])
        let new = self.state(9, [self.resource("a"), self.resource("b", sizeKiB: 8192), self.resource("d")])
        let change = DesiredStateChange(from: base, to: new)
        #expect(change.baseVersion == 7 && change.version == 9)
        #expect(change.changed.map(\.name) == ["b", "d"])
        #expect(change.removed == ["c"])
        #expect(try change.applied(to: base) == new)
    }

    @Test func aChangeForAnotherBaseIsRefused() {
        let base = self.state(7, [self.resource("a")])
        let change = DesiredStateChange(from: self.state(6, []), to: self.state(8, [self.resource("a")]))
        #expect(throws: StateChangeError(expectedBase: 6, actualBase: 7)) { try change.applied(to: base) }
    }

    @Test func oneNewResourceOnABigNodeIsASmallFrame() throws {
        let names = (0..<1000).map { String(format: "pvc-%05d", $0) }
        let base = self.state(1, names.map { self.resource($0) })
        let new = self.state(2, base.resources + [self.resource("pvc-new")])
        let whole = try JSONEncoder().encode(SatelliteMessage.desiredState(new)).count
        let change = try JSONEncoder().encode(SatelliteMessage.desiredChange(DesiredStateChange(from: base, to: new))).count
        #expect(whole > 100_000)
        #expect(change < 1_000)
    }

    @Test func reportChangesRebuildTheReportAndSayWhenNothingChanged() {
        let previous = self.report(3, ["a", "b"], diskState: "Inconsistent")
        var new = self.report(4, ["a", "c"], diskState: "Inconsistent")
        new.resources[0].volumes[0].diskState = "UpToDate"
        let change = NodeReportChange(from: previous, to: new)
        #expect(change.changed.map(\.name) == ["a", "c"])
        #expect(change.removed == ["b"])
        #expect(change.applied(to: previous) == new)
        #expect(!change.isEmpty(comparedTo: previous))
        #expect(NodeReportChange(from: new, to: new).isEmpty(comparedTo: new))
        // A new applied version is news even when nothing else changed: it answers the controller.
        var answered = new
        answered.appliedVersion = 5
        #expect(!NodeReportChange(from: new, to: answered).isEmpty(comparedTo: new))
    }

    private func roundTrip(_ message: SatelliteMessage) throws -> SatelliteMessage {
        try JSONDecoder().decode(SatelliteMessage.self, from: JSONEncoder().encode(message))
    }

    @Test func changesTravelAsTheirOwnMessages() throws {
        let change = DesiredStateChange(from: self.state(1, []), to: self.state(2, [self.resource("a")]))
        let message = SatelliteMessage.desiredChange(change)
        #expect(try self.roundTrip(message) == message)
        let reportChange = SatelliteMessage.reportChange(NodeReportChange(from: self.report(1, []), to: self.report(2, ["a"])))
        #expect(try self.roundTrip(reportChange) == reportChange)
    }
}
