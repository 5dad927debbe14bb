import DepotModel
import DepotTestSupport
import Foundation
import Testing

@testable import DepotSatellite

/// What a copy of a snapshot into another pool reads: each provider's snapshot opened as a device
/// (command lines against recorded output: thin pools, COW snapshots and ZFS need a kernel this
/// machine lacks), and thick LVM's copy-on-write snapshots, which only clones take.
@Suite("Snapshots opened for a copy, and thick LVM's clone snapshots")
struct CloneSourceTests {
    let id = VolumeID(resourceName: "LocalData", volumeNumber: 0)

    static let thickListing = """
        {"report": [{"lv": [
          {"lv_name":"LocalData_00000", "vg_name":"drbdpool", "lv_path":"/dev/drbdpool/LocalData_00000", "lv_size":"12582912", "lv_attr":"owi-a-s---", "pool_lv":"", "data_percent":""},
          {"lv_name":"LocalData_00000_clone_1a2b3c4d", "vg_name":"drbdpool", "lv_path":"/dev/drbdpool/LocalData_00000_clone_1a2b3c4d", "lv_size":"12582912", "lv_attr":"swi-a-s---", "pool_lv":"", "data_percent":"0.00"}
        ]}]}
        """

    func lvm(_ kind: ProviderKind, _ runner: RecordingCommandRunner, _ devices: FakeBlockDevices = FakeBlockDevices()) -> LVMProvider {
        LVMProvider(kind: kind, runner: runner, deviceWaiter: DeviceWaiter(devices: devices, pollInterval: .milliseconds(1)))
    }

    @Test func thickLVMTakesACopyOnWriteSnapshotAsLargeAsItsOrigin() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["lvs"], reply: .ok(try Fixture.text("lvs-thick.json").replacingOccurrences(of: "satvg", with: "drbdpool")))
        runner.on(["lvcreate"], reply: .ok())
        let pool = PoolConfig(name: "lvmpool", kind: .lvm, backingName: "drbdpool")
        try await self.lvm(.lvm, runner).createSnapshot("clone_1a2b3c4d", of: self.id, in: pool)
        #expect(
            runner.argvs.last == ["lvcreate", "--snapshot", "--extents", "100%ORIGIN", "--name", "LocalData_00000_clone_1a2b3c4d", "drbdpool/LocalData_00000"])
    }

    @Test func thickLVMListsItsSnapshotsApartFromItsVolumesAndOpensThemActive() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["lvs"], reply: .ok(Self.thickListing))
        runner.on(["lvchange"], reply: .ok())
        let devices = FakeBlockDevices()
        devices.set("/dev/drbdpool/LocalData_00000_clone_1a2b3c4d", sizeBytes: 12_582_912)
        let provider = self.lvm(.lvm, runner, devices)
        let pool = PoolConfig(name: "lvmpool", kind: .lvm, backingName: "drbdpool", waitTimeout: .milliseconds(300))
        #expect(try await provider.snapshots(in: pool) == ["LocalData_00000": ["clone_1a2b3c4d"]])
        #expect(Set(try await provider.inventory(of: pool).keys) == ["LocalData_00000"])

        let opened = try await provider.openSnapshot("clone_1a2b3c4d", of: self.id, in: pool)
        #expect(opened == SnapshotDevice(path: "/dev/drbdpool/LocalData_00000_clone_1a2b3c4d", sizeBytes: 12_582_912))
        #expect(runner.argvs.last == ["lvchange", "--activate", "y", "--ignoreactivationskip", "drbdpool/LocalData_00000_clone_1a2b3c4d"])
        let before = runner.argvs.count
        try await provider.closeSnapshot("clone_1a2b3c4d", of: self.id, in: pool)
        #expect(runner.argvs.count == before, "a COW snapshot stays active with its origin")
    }

    @Test func aThinSnapshotIsActivatedForTheCopyAndDeactivatedAfter() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["lvs"], reply: .ok(try Fixture.text("lvs-thin-snapshots.json")))
        runner.on(["lvchange"], reply: .ok())
        let devices = FakeBlockDevices()
        devices.set("/dev/drbdpool/LocalData_00000_Snap1", sizeBytes: 155_189_248)
        let provider = self.lvm(.lvmThin, runner, devices)
        let pool = PoolConfig(name: "thinpool", kind: .lvmThin, backingName: "drbdpool/thinpool", waitTimeout: .milliseconds(300))
        let opened = try await provider.openSnapshot("Snap1", of: self.id, in: pool)
        #expect(opened.path == "/dev/drbdpool/LocalData_00000_Snap1")
        #expect(runner.argvs.last == ["lvchange", "--activate", "y", "--ignoreactivationskip", "drbdpool/LocalData_00000_Snap1"])
        try await provider.closeSnapshot("Snap1", of: self.id, in: pool)
        #expect(runner.argvs.last == ["lvchange", "--activate", "n", "drbdpool/LocalData_00000_Snap1"])

        let missing = await #expect(throws: StorageError.self) { _ = try await provider.openSnapshot("Nope", of: self.id, in: pool) }
        #expect(missing?.code == .snapshotMissing)
    }

    @Test func aZFSSnapshotIsMadeVisibleForTheCopyAndHiddenAfter() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["zfs", "list"], reply: .ok(try Fixture.text("zfs-list-snapshots.txt")))
        runner.on(["zfs", "set"], reply: .ok())
        runner.on(["zfs", "inherit"], reply: .ok())
        let devices = FakeBlockDevices()
        devices.set("/dev/zvol/tank/LocalData_00000@Snap1", sizeBytes: 104_857_600)
        let provider = ZFSProvider(kind: .zfsThin, runner: runner, deviceWaiter: DeviceWaiter(devices: devices, pollInterval: .milliseconds(1)))
        let pool = PoolConfig(name: "zfspool", kind: .zfsThin, backingName: "tank", waitTimeout: .milliseconds(300))
        let opened = try await provider.openSnapshot("Snap1", of: self.id, in: pool)
        #expect(opened == SnapshotDevice(path: "/dev/zvol/tank/LocalData_00000@Snap1", sizeBytes: 104_857_600))
        #expect(runner.argvs.last == ["zfs", "set", "snapdev=visible", "tank/LocalData_00000"])
        try await provider.closeSnapshot("Snap1", of: self.id, in: pool)
        #expect(runner.argvs.last == ["zfs", "inherit", "snapdev", "tank/LocalData_00000"])
    }
}
