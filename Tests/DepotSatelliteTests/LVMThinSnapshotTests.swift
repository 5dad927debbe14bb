import DepotModel
import DepotTestSupport
import Testing

@testable import DepotSatellite

/// LVM_THIN snapshots through their command lines: thin pools and snapshots need device-mapper,
/// which this kernel lacks (TESTING.md), so a recording runner answers with `lvs` output in LVM's
/// exact JSON format (Fixtures/lvs-thin-snapshots.json) and a fake device table stands in for the
/// kernel's device nodes.
@Suite("LVMProvider (thin) snapshot command lines and parsing")
struct LVMThinSnapshotTests {
    let id = VolumeID(resourceName: "LocalData", volumeNumber: 0)
    let restored = VolumeID(resourceName: "Restored", volumeNumber: 0)
    let pool = PoolConfig(name: "thinpool", kind: .lvmThin, backingName: "drbdpool/thinpool", waitTimeout: .milliseconds(500))
    let device = "/dev/drbdpool/LocalData_00000"

    func provider(_ runner: RecordingCommandRunner, _ devices: FakeBlockDevices = FakeBlockDevices()) -> LVMProvider {
        LVMProvider(kind: .lvmThin, runner: runner, deviceWaiter: DeviceWaiter(devices: devices, pollInterval: .milliseconds(1)))
    }

    func snapshotListing() throws -> String { try Fixture.text("lvs-thin-snapshots.json") }

    @Test func snapshotsComeFromTheOneLvsListingAndAreNoVolumes() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["lvs"], reply: .ok(try self.snapshotListing()))
        let provider = self.provider(runner)

        let snapshots = try await provider.snapshots(in: self.pool)
        #expect(snapshots == ["LocalData_00000": ["Snap1"], "Gone_00000": ["Old"]])
        #expect(runner.argvs == [LVMThinProviderTests.lvs])
        #expect(Set(try await provider.inventory(of: self.pool).keys) == ["LocalData_00000"])
    }

    @Test func createTakesAThinSnapshotWithActivationSkip() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["lvs"], reply: .ok(try Fixture.text("lvs-thin.json")))
        runner.on(["lvcreate"], reply: .ok())
        try await self.provider(runner).createSnapshot("Snap1", of: self.id, in: self.pool)
        #expect(
            runner.argvs == [
                LVMThinProviderTests.lvs("LocalData_00000_Snap1"),
                LVMThinProviderTests.lvs("LocalData_00000"),
                [
                    "lvcreate", "--snapshot", "--setactivationskip", "y", "--name", "LocalData_00000_Snap1",
                    "drbdpool/LocalData_00000",
                ],
            ]
        )
        #expect(runner.commands.allSatisfy { $0.environment["LVM_SUPPRESS_FD_WARNINGS"] == "1" })
    }

    @Test func createOfAnExistingSnapshotRunsOnlyTheListing() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["lvs"], reply: .ok(try self.snapshotListing()))
        try await self.provider(runner).createSnapshot("Snap1", of: self.id, in: self.pool)
        #expect(runner.argvs == [LVMThinProviderTests.lvs("LocalData_00000_Snap1")])
    }

    @Test func createOfAMissingVolumeIsVolumeMissing() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["lvs"], reply: .ok(try Fixture.text("lvs-thin-pool-only.json")))
        let error = await #expect(throws: StorageError.self) {
            try await self.provider(runner).createSnapshot("Snap1", of: self.id, in: self.pool)
        }
        #expect(error?.code == .volumeMissing)
        #expect(runner.argvs == [LVMThinProviderTests.lvs("LocalData_00000_Snap1"), LVMThinProviderTests.lvs("LocalData_00000")])
    }

    @Test func deleteRemovesTheSnapshotLVAndIgnoresAMissingOne() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["lvs"], reply: .ok(try self.snapshotListing()), .ok(try Fixture.text("lvs-thin.json")))
        runner.on(["lvremove"], reply: .ok())
        let provider = self.provider(runner)
        try await provider.deleteSnapshot("Snap1", of: self.id, in: self.pool)
        try await provider.deleteSnapshot("Snap1", of: self.id, in: self.pool)
        #expect(
            runner.argvs == [
                LVMThinProviderTests.lvs("LocalData_00000_Snap1"), ["lvremove", "--force", "drbdpool/LocalData_00000_Snap1"], LVMThinProviderTests.lvs("LocalData_00000_Snap1"),
            ]
        )
    }

    /// A snapshot of the snapshot LV without the skip flag, grown to the asked size, activated.
    @Test func restoreSnapshotsTheSnapshotGrowsAndActivates() async throws {
        let runner = RecordingCommandRunner()
        let devices = FakeBlockDevices()
        let restoredRow =
            #"{"lv_name":"Restored_00000", "vg_name":"drbdpool", "lv_path":"/dev/drbdpool/Restored_00000", "lv_size":"209715200", "lv_attr":"Vwi-a-tz--", "pool_lv":"thinpool", "data_percent":"9.00"},"#
        let after = try self.snapshotListing().replacing(#""lv": ["#, with: #""lv": ["# + restoredRow)
        runner.on(["vgs"], reply: .ok(try Fixture.text("vgs-thin.json")))
        runner.on(["lvs"], reply: .ok(try self.snapshotListing()), .ok(after))
        runner.on(["lvcreate"], reply: .ok())
        runner.on(["lvresize"], reply: .ok())
        runner.on(["lvchange"], reply: .ok())
        devices.set("/dev/drbdpool/Restored_00000", sizeBytes: 209_715_200)

        let volume = try await self.provider(runner, devices).restore(
            self.restored, from: "Snap1", of: self.id, sizeKiB: 204_799, in: self.pool)

        #expect(
            runner.argvs == [
                LVMThinProviderTests.vgs,
                LVMThinProviderTests.lvs("Restored_00000"),
                LVMThinProviderTests.lvs("LocalData_00000_Snap1"),
                [
                    "lvcreate", "--snapshot", "--setactivationskip", "n", "--name", "Restored_00000",
                    "drbdpool/LocalData_00000_Snap1",
                ],
                // 204799 KiB rounds up to the 4 MiB extent: 204800 KiB, more than the snapshot's 151552 KiB.
                ["lvresize", "--size", "204800k", "drbdpool/Restored_00000"],
                ["lvchange", "--activate", "y", "--ignoreactivationskip", "drbdpool/Restored_00000"],
                LVMThinProviderTests.lvs("Restored_00000"),
            ]
        )
        #expect(volume == ProvidedVolume(devicePath: "/dev/drbdpool/Restored_00000", allocatedKiB: 18_432, usableKiB: 204_800))
    }

    @Test func restoreFromAMissingSnapshotIsSnapshotMissing() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["vgs"], reply: .ok(try Fixture.text("vgs-thin.json")))
        runner.on(["lvs"], reply: .ok(try Fixture.text("lvs-thin.json")))
        let error = await #expect(throws: StorageError.self) {
            try await self.provider(runner).restore(self.restored, from: "Snap1", of: self.id, sizeKiB: 4096, in: self.pool)
        }
        #expect(error?.code == .snapshotMissing)
        #expect(!runner.argvs.contains { $0.first == "lvcreate" })
    }

    /// LINSTOR's rollback: deactivate, merge (the snapshot is used up), take it again, activate.
    @Test func rollbackMergesTakesTheSnapshotAgainAndActivates() async throws {
        let runner = RecordingCommandRunner()
        let devices = FakeBlockDevices()
        runner.on(["lvs"], reply: .ok(try self.snapshotListing()))
        runner.on(["lvchange"], reply: .ok())
        runner.on(["lvconvert"], reply: .ok())
        runner.on(["lvcreate"], reply: .ok())
        devices.set(self.device, sizeBytes: 159_383_552)

        let volume = try await self.provider(runner, devices).rollback(self.id, to: "Snap1", in: self.pool)

        #expect(
            runner.argvs == [
                LVMThinProviderTests.lvs("LocalData_00000"),
                LVMThinProviderTests.lvs("LocalData_00000_Snap1"),
                ["lvchange", "--activate", "n", "drbdpool/LocalData_00000"],
                ["lvconvert", "--merge", "drbdpool/LocalData_00000_Snap1"],
                [
                    "lvcreate", "--snapshot", "--setactivationskip", "y", "--name", "LocalData_00000_Snap1",
                    "drbdpool/LocalData_00000",
                ],
                ["lvchange", "--activate", "y", "--ignoreactivationskip", "drbdpool/LocalData_00000"],
                LVMThinProviderTests.lvs("LocalData_00000"),
            ]
        )
        #expect(volume.devicePath == self.device)
    }

    @Test func rollbackOfAHeldDeviceRunsNothingButTheListing() async throws {
        let runner = RecordingCommandRunner()
        let devices = FakeBlockDevices()
        runner.on(["lvs"], reply: .ok(try self.snapshotListing()))
        devices.set(self.device, sizeBytes: 159_383_552, inUse: true)
        let error = await #expect(throws: StorageError.self) {
            try await self.provider(runner, devices).rollback(self.id, to: "Snap1", in: self.pool)
        }
        #expect(error?.code == .volumeInUse)
        #expect(runner.argvs == [LVMThinProviderTests.lvs("LocalData_00000"), LVMThinProviderTests.lvs("LocalData_00000_Snap1")])
    }

    @Test func failedMergeCarriesTheCommandAndItsStderr() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["lvs"], reply: .ok(try self.snapshotListing()))
        runner.on(["lvchange"], reply: .ok())
        runner.on(["lvconvert"], reply: .failed(5, stderr: "  Unable to merge LV \"LocalData_00000_Snap1\" into its origin.\n"))
        let error = await #expect(throws: StorageError.self) {
            try await self.provider(runner).rollback(self.id, to: "Snap1", in: self.pool)
        }
        #expect(error?.code == .commandFailed)
        #expect(error?.commandError?.commandLine == "LVM_SUPPRESS_FD_WARNINGS=1 lvconvert --merge drbdpool/LocalData_00000_Snap1")
        #expect(error?.commandError?.stderrTail.contains("Unable to merge") == true)
        #expect(!runner.argvs.contains { $0.first == "lvcreate" })
    }
}
