import DepotWire
import Testing

@testable import DepotSatellite

/// What the satellite reads from events2 to protect data: a device held open, what is left to
/// resync, and whether a resize really took effect.
@Suite struct DRBDSafetyTests {
    static let lines =
        DRBDEventTests.initialDump.filter { $0 != "exists -" } + [
            "change peer-device name:shared peer-node-id:1 conn-name:beta volume:0 replication:Established peer-disk:UpToDate out-of-sync:0",
            "change device name:shared volume:0 minor:1000 disk:UpToDate size:153528 open:yes",
        ]

    @Test func aDeviceHeldOpenIsInUseEvenAsSecondary() {
        let state = DRBDEventTests.state(Self.lines)
        let observed = DRBDObservation(kernel: state.resources["shared"], desired: DRBDEventTests.desired, volumes: [0])
        #expect(observed.resource.role == "Secondary")
        #expect(observed.resource.inUse == true)
        let closed = DRBDEventTests.state(Self.lines + ["change device name:shared volume:0 minor:1000 open:no"])
        #expect(DRBDObservation(kernel: closed.resources["shared"], desired: DRBDEventTests.desired, volumes: [0]).resource.inUse == false)
    }

    @Test func outOfSyncIsReportedPerPeer() {
        var lines = Self.lines
        lines.append("change peer-device name:shared peer-node-id:2 conn-name:gamma volume:0 replication:SyncSource peer-disk:Inconsistent out-of-sync:4096 done:2.79")
        let observed = DRBDObservation(kernel: DRBDEventTests.state(lines).resources["shared"], desired: DRBDEventTests.desired, volumes: [0])
        let beta = observed.replication[0]?["beta"]
        #expect(beta?.outOfSyncKiB == 0 && beta?.isInSync == true)
        let gamma = observed.replication[0]?["gamma"]
        #expect(gamma?.outOfSyncKiB == 4096 && gamma?.isInSync == false)
        #expect(DRBDReplicationReport(state: "Established", donePercentage: nil, peerDiskState: "UpToDate", outOfSyncKiB: 8).isInSync == false)
    }

    @Test func aConnectionOfAnotherPeerWithTheSameNodeIDIsNotThisPeers() {
        var lines = Self.lines
        lines.append("change connection name:shared peer-node-id:2 conn-name:remus connection:StandAlone")
        lines.append("change peer-device name:shared peer-node-id:2 conn-name:remus volume:0 replication:Off")
        let observed = DRBDObservation(kernel: DRBDEventTests.state(lines).resources["shared"], desired: DRBDEventTests.desired, volumes: [0])
        #expect(observed.resource.connections["gamma"] == DRBDConnectionReport(state: "Unconnected"))
        #expect(observed.replication[0]?["gamma"] == nil)
        #expect(observed.resource.connections["beta"]?.state == "Connected", "conn-name beta is beta's own")
    }

    @Test func growthIsReadFromTheDeviceSize() throws {
        let kernel = DRBDEventTests.state(Self.lines).resources["shared"]
        let small = try #require(DRBDGrowth(kernel: kernel, volume: 0, wantedKiB: 204_800))
        #expect(small.isNeeded && small.deviceKiB == 153_528)
        #expect(DRBDGrowth(kernel: kernel, volume: 0, wantedKiB: 153_600 - 72)?.isNeeded == false)
        #expect(DRBDGrowth(kernel: kernel, volume: 1, wantedKiB: 1) == nil, "no such volume")
        let diskless = DRBDEventTests.state(Self.lines + ["change device name:shared volume:0 minor:1000 disk:Diskless"]).resources["shared"]
        #expect(DRBDGrowth(kernel: diskless, volume: 0, wantedKiB: 204_800) == nil, "a client has no size of its own to grow")
    }

    @Test func aResizeThatDidNotHappenNamesTheUnconnectedPeers() {
        let kernel = DRBDEventTests.state(Self.lines).resources["shared"]
        let error = DRBDGrowth.notDone("shared", volume: 0, deviceKiB: 153_528, wantedKiB: 204_800, kernel: kernel, peers: DRBDEventTests.desired.peers)
        #expect(error.code == .resizeNotDone)
        #expect(error.message.contains("still has 153528 KiB after 'drbdadm resize' to 204800 KiB"))
        #expect(error.message.contains("Not connected: 'gamma' (node-id 2)."))
    }
}
