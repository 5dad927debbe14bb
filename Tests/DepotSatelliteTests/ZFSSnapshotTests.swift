import DepotModel
import DepotTestSupport
import Testing

@testable import DepotSatellite

/// ZFS snapshots through their command lines: ZFS cannot be installed here (no kernel module),
/// so a recording runner answers in `zfs`'s scripted format (Fixtures/zfs-list-snapshots.txt) and
/// a fake device table stands in for `/dev/zvol/...`.
@Suite("ZFSProvider snapshot command lines and parsing")
struct ZFSSnapshotTests {
    let id = VolumeID(resourceName: "LocalData", volumeNumber: 0)
    let gone = VolumeID(resourceName: "Gone", volumeNumber: 0)
    let restored = VolumeID(resourceName: "Restored", volumeNumber: 0)
    let pool = PoolConfig(name: "zfspool", kind: .zfsThin, backingName: "tank", waitTimeout: .milliseconds(300))
    let device = "/dev/zvol/tank/LocalData_00000"
    static let snapshotList = ["zfs", "list", "-H", "-p", "-d", "2", "-t", "snapshot", "-o", "name,defer_destroy", "tank"]
    static let list = ZFSProviderTests.list
    /// The zvols with a deleted volume set aside for its snapshot.
    static let setAside = "tank/Gone_00000.deleted-1764000000\t104857600\t8192\t8192\n"

    func provider(_ runner: RecordingCommandRunner, _ devices: FakeBlockDevices = FakeBlockDevices()) -> ZFSProvider {
        ZFSProvider(kind: .zfsThin, runner: runner, deviceWaiter: DeviceWaiter(devices: devices, pollInterval: .milliseconds(1)))
    }

    @Test func snapshotsComeFromOneListingUnderTheirBackingNames() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["zfs", "list"], reply: .ok(try Fixture.text("zfs-list-snapshots.txt")))
        let snapshots = try await self.provider(runner).snapshots(in: self.pool)
        // The deferred one is left out; the set-aside volume's snapshot counts for its backing name.
        #expect(
            snapshots == [
                "LocalData_00000": ["Snap1", "Snap2"], "Gone_00000": ["Old"],
                "other_00000": ["zfs-auto-snap_hourly-2026-12-03-0900"],
            ]
        )
        #expect(runner.argvs == [Self.snapshotList])
    }

    @Test func inventoryLeavesSetAsideVolumesOut() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["zfs", "list"], reply: .ok(try Fixture.text("zfs-list.txt") + Self.setAside))
        #expect(Set(try await self.provider(runner).inventory(of: self.pool).keys) == ["LocalData_00000", "other_00000"])
    }

    @Test func createRunsZfsSnapshotOnceOnly() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["zfs", "list"], reply: .ok(""), .ok(try Fixture.text("zfs-list-snapshots.txt")))
        runner.on(["zfs", "snapshot"], reply: .ok())
        let provider = self.provider(runner)
        try await provider.createSnapshot("Snap1", of: self.id, in: self.pool)
        try await provider.createSnapshot("Snap1", of: self.id, in: self.pool)
        #expect(runner.argvs == [Self.snapshotList, ["zfs", "snapshot", "tank/LocalData_00000@Snap1"], Self.snapshotList])
    }

    @Test func createOfAMissingZvolIsVolumeMissing() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["zfs", "list"], reply: .ok(""))
        runner.on(["zfs", "snapshot"], reply: .failed(1, stderr: "cannot open 'tank/LocalData_00000': dataset does not exist\n"))
        let error = await #expect(throws: StorageError.self) {
            try await self.provider(runner).createSnapshot("Snap1", of: self.id, in: self.pool)
        }
        #expect(error?.code == .volumeMissing)
    }

    @Test func deleteDestroysTheSnapshot() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["zfs", "list", "-H", "-p", "-d", "2"], reply: .ok(try Fixture.text("zfs-list-snapshots.txt")))
        runner.on(["zfs", "list", "-H", "-p", "-d", "1"], reply: .ok(try Fixture.text("zfs-list.txt") + Self.setAside))
        runner.on(["zfs", "destroy"], reply: .ok())
        try await self.provider(runner).deleteSnapshot("Snap2", of: self.id, in: self.pool)
        // The set-aside volume still has its snapshot: it stays.
        #expect(runner.argvs == [Self.snapshotList, ["zfs", "destroy", "tank/LocalData_00000@Snap2"], Self.list])
    }

    /// The last snapshot of a deleted volume goes, and the set-aside volume with it.
    @Test func deletingTheLastSnapshotOfASetAsideVolumeDestroysTheVolume() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["zfs", "list", "-H", "-p", "-d", "2"], reply: .ok(try Fixture.text("zfs-list-snapshots.txt")))
        runner.on(["zfs", "list", "-H", "-p", "-d", "1"], reply: .ok(try Fixture.text("zfs-list.txt") + Self.setAside))
        runner.on(["zfs", "destroy"], reply: .ok())
        try await self.provider(runner).deleteSnapshot("Old", of: self.gone, in: self.pool)
        #expect(
            runner.argvs == [
                Self.snapshotList, ["zfs", "destroy", "tank/Gone_00000.deleted-1764000000@Old"], Self.list,
                ["zfs", "destroy", "tank/Gone_00000.deleted-1764000000"],
            ]
        )
    }

    /// A snapshot that restored volumes (clones) depend on is renamed out of the way and destroyed
    /// by ZFS once its last clone goes.
    @Test func snapshotWithClonesIsRenamedAndDeferred() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["zfs", "list", "-H", "-p", "-d", "2"], reply: .ok(try Fixture.text("zfs-list-snapshots.txt")))
        runner.on(["zfs", "list", "-H", "-p", "-d", "1"], reply: .ok(try Fixture.text("zfs-list.txt")))
        runner.on(
            ["zfs", "destroy", "tank/LocalData_00000@Snap1"],
            reply: .failed(
                1,
                stderr:
                    "cannot destroy 'tank/LocalData_00000@Snap1': snapshot has dependent clones\nuse '-R' to destroy the following datasets:\ntank/Restored_00000\n"
            )
        )
        runner.on(["zfs", "rename"], reply: .ok())
        runner.on(["zfs", "destroy", "-d"], reply: .ok())
        try await self.provider(runner).deleteSnapshot("Snap1", of: self.id, in: self.pool)

        let argvs = runner.argvs
        try #require(argvs.count == 5)
        #expect(argvs[1] == ["zfs", "destroy", "tank/LocalData_00000@Snap1"])
        #expect(argvs[2].prefix(3) == ["zfs", "rename", "tank/LocalData_00000@Snap1"])
        let hidden = argvs[2][3]
        #expect(hidden.hasPrefix("tank/LocalData_00000@Snap1.deleted-"))
        #expect(argvs[3] == ["zfs", "destroy", "-d", hidden])
        #expect(argvs[4] == Self.list)
    }

    @Test func deleteOfAMissingSnapshotDestroysNothing() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["zfs", "list"], reply: .ok(""))
        try await self.provider(runner).deleteSnapshot("Snap1", of: self.id, in: self.pool)
        #expect(!runner.argvs.contains { $0.starts(with: ["zfs", "destroy"]) })
    }

    /// A zvol with snapshots cannot be destroyed: it is set aside under a name no listing takes for a volume.
    @Test func deletingAVolumeWithSnapshotsSetsItAside() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["zfs", "list"], reply: .ok(try Fixture.text("zfs-list.txt")))
        runner.on(
            ["zfs", "destroy"],
            reply: .failed(
                1,
                stderr:
                    "cannot destroy 'tank/LocalData_00000': volume has children\nuse '-r' to destroy the following datasets:\ntank/LocalData_00000@Snap1\n"
            )
        )
        runner.on(["zfs", "rename"], reply: .ok())
        try await self.provider(runner).delete(self.id, in: self.pool)
        let argvs = runner.argvs
        try #require(argvs.count == 3)
        #expect(argvs[1] == ["zfs", "destroy", "tank/LocalData_00000"])
        #expect(argvs[2].prefix(3) == ["zfs", "rename", "tank/LocalData_00000"])
        let target = String(argvs[2][3].dropFirst("tank/".count))
        #expect(ZFSProvider.deletedVolumeBackingName(target) == "LocalData_00000")
    }

    @Test func restoreClonesTheSnapshotAndGrowsTheClone() async throws {
        let runner = RecordingCommandRunner()
        let devices = FakeBlockDevices()
        let clone = "tank/Restored_00000\t157286400\t8192\t16384\n"
        let grown = "tank/Restored_00000\t209731584\t8192\t16384\n"
        runner.on(
            ["zfs", "list", "-H", "-p", "-d", "1"],
            reply: .ok(try Fixture.text("zfs-list.txt")), .ok(try Fixture.text("zfs-list.txt") + clone),
            .ok(try Fixture.text("zfs-list.txt") + grown))
        runner.on(["zfs", "list", "-H", "-p", "-d", "2"], reply: .ok(try Fixture.text("zfs-list-snapshots.txt")))
        runner.on(["zfs", "clone"], reply: .ok())
        runner.on(["zfs", "set"], reply: .ok())
        devices.set("/dev/zvol/tank/Restored_00000", sizeBytes: 209_731_584)

        let volume = try await self.provider(runner, devices).restore(
            self.restored, from: "Snap1", of: self.id, sizeKiB: 204_801, in: self.pool)

        #expect(
            runner.argvs == [
                Self.list, Self.snapshotList, ["zfs", "clone", "tank/LocalData_00000@Snap1", "tank/Restored_00000"], Self.list,
                // The clone's volblocksize is 16384: 204801 KiB → 204816 KiB.
                ["zfs", "set", "volsize=204816k", "tank/Restored_00000"], Self.list,
            ]
        )
        #expect(volume.usableKiB == 204_816)
        #expect(volume.devicePath == "/dev/zvol/tank/Restored_00000")
    }

    @Test func restoreFromASetAsideVolumesSnapshot() async throws {
        let runner = RecordingCommandRunner()
        let devices = FakeBlockDevices()
        let clone = "tank/Restored_00000\t104857600\t8192\t8192\n"
        runner.on(["zfs", "list", "-H", "-p", "-d", "1"], reply: .ok(""), .ok(clone))
        runner.on(["zfs", "list", "-H", "-p", "-d", "2"], reply: .ok(try Fixture.text("zfs-list-snapshots.txt")))
        runner.on(["zfs", "clone"], reply: .ok())
        devices.set("/dev/zvol/tank/Restored_00000", sizeBytes: 104_857_600)
        _ = try await self.provider(runner, devices).restore(self.restored, from: "Old", of: self.gone, sizeKiB: 102_400, in: self.pool)
        #expect(runner.argvs.contains(["zfs", "clone", "tank/Gone_00000.deleted-1764000000@Old", "tank/Restored_00000"]))
        #expect(!runner.argvs.contains { $0.starts(with: ["zfs", "set"]) })
    }

    @Test func restoreFromAMissingOrDeferredSnapshotIsSnapshotMissing() async throws {
        for snapshot in ["Snap9", "Snap0"] {
            let runner = RecordingCommandRunner()
            runner.on(["zfs", "list", "-H", "-p", "-d", "1"], reply: .ok(""))
            runner.on(["zfs", "list", "-H", "-p", "-d", "2"], reply: .ok(try Fixture.text("zfs-list-snapshots.txt")))
            let error = await #expect(throws: StorageError.self) {
                try await self.provider(runner).restore(self.restored, from: snapshot, of: self.id, sizeKiB: 4096, in: self.pool)
            }
            #expect(error?.code == .snapshotMissing)
            #expect(!runner.argvs.contains { $0.starts(with: ["zfs", "clone"]) })
        }
    }

    @Test func rollbackRunsZfsRollback() async throws {
        let runner = RecordingCommandRunner()
        let devices = FakeBlockDevices()
        runner.on(["zfs", "list", "-H", "-p", "-d", "1"], reply: .ok(try Fixture.text("zfs-list.txt")))
        runner.on(["zfs", "list", "-H", "-p", "-d", "2"], reply: .ok(try Fixture.text("zfs-list-snapshots.txt")))
        runner.on(["zfs", "rollback"], reply: .ok())
        devices.set(self.device, sizeBytes: 157_286_400)
        let volume = try await self.provider(runner, devices).rollback(self.id, to: "Snap2", in: self.pool)
        #expect(
            runner.argvs == [
                Self.list, Self.snapshotList, ["zfs", "rollback", "tank/LocalData_00000@Snap2"], Self.list, Self.list,
            ]
        )
        #expect(volume.devicePath == self.device)
    }

    /// `zfs rollback` without `-r` refuses when newer snapshots exist; the error says so and keeps stderr.
    @Test func rollbackPastNewerSnapshotsIsRefusedWithZfsOwnWords() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["zfs", "list", "-H", "-p", "-d", "1"], reply: .ok(try Fixture.text("zfs-list.txt")))
        runner.on(["zfs", "list", "-H", "-p", "-d", "2"], reply: .ok(try Fixture.text("zfs-list-snapshots.txt")))
        let stderr =
            "cannot rollback to 'tank/LocalData_00000@Snap1': more recent snapshots or bookmarks exist\nuse '-r' to force deletion of the following snapshots and bookmarks:\ntank/LocalData_00000@Snap2\n"
        runner.on(["zfs", "rollback"], reply: .failed(1, stderr: stderr))
        let error = await #expect(throws: StorageError.self) {
            try await self.provider(runner).rollback(self.id, to: "Snap1", in: self.pool)
        }
        #expect(error?.code == .commandFailed)
        #expect(error?.message.contains("newer snapshots") == true)
        #expect(error?.commandError?.stderrTail.contains("tank/LocalData_00000@Snap2") == true)
    }

    @Test func rollbackOfAHeldZvolRunsNoRollback() async throws {
        let runner = RecordingCommandRunner()
        let devices = FakeBlockDevices()
        runner.on(["zfs", "list", "-H", "-p", "-d", "1"], reply: .ok(try Fixture.text("zfs-list.txt")))
        runner.on(["zfs", "list", "-H", "-p", "-d", "2"], reply: .ok(try Fixture.text("zfs-list-snapshots.txt")))
        devices.set(self.device, sizeBytes: 157_286_400, inUse: true)
        let error = await #expect(throws: StorageError.self) {
            try await self.provider(runner, devices).rollback(self.id, to: "Snap1", in: self.pool)
        }
        #expect(error?.code == .volumeInUse)
        #expect(!runner.argvs.contains { $0.starts(with: ["zfs", "rollback"]) })
    }
}
