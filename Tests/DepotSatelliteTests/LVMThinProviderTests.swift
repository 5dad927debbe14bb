import DepotModel
import DepotTestSupport
import Testing

@testable import DepotSatellite

/// LVM_THIN and LVM activation through their command lines: this kernel has no device-mapper
/// ("Can't create thin-pool without using device-mapper kernel driver"), so a recording runner
/// answers with `lvs`/`vgs` output in LVM's exact JSON format (Fixtures/README.md) and a fake
/// device table stands in for the kernel's `/dev/drbdpool/...` nodes.
@Suite("LVMProvider (thin) command lines and parsing")
struct LVMThinProviderTests {
    let id = VolumeID(resourceName: "LocalData", volumeNumber: 0)
    let pool = PoolConfig(
        name: "thinpool",
        kind: .lvmThin,
        backingName: "drbdpool/thinpool",
        waitTimeout: .milliseconds(500)
    )
    let device = "/dev/drbdpool/LocalData_00000"

    static let report = ["--reportformat", "json", "--units", "b", "--nosuffix"]
    static let lvs =
        ["lvs"] + report + ["-o", "lv_name,vg_name,lv_path,lv_size,lv_attr,pool_lv,data_percent", "drbdpool"]
    static let vgs = ["vgs"] + report + ["-o", "vg_name,vg_extent_size,vg_size,vg_free", "drbdpool"]
    /// `lvs` of one LV: what a create, resize or delete looks at, whatever else the VG holds.
    static func lvs(_ name: String) -> [String] {
        ["lvs"] + report + ["-o", "lv_name,vg_name,lv_path,lv_size,lv_attr,pool_lv,data_percent", "drbdpool/\(name)"]
    }

    func provider(_ runner: RecordingCommandRunner, _ devices: FakeBlockDevices) -> LVMProvider {
        LVMProvider(
            kind: .lvmThin,
            runner: runner,
            deviceWaiter: DeviceWaiter(devices: devices, pollInterval: .milliseconds(1))
        )
    }

    @Test func createRunsLINSTORsCommandsAndWaitsForTheDevice() async throws {
        let runner = RecordingCommandRunner()
        let devices = FakeBlockDevices()
        runner.on(["vgs"], reply: .ok(try Fixture.text("vgs-thin.json")))
        runner.on(["lvs"], reply: .ok(try Fixture.text("lvs-thin.json")))
        runner.on(["lvcreate"], reply: .ok(stderr: "  Logical volume \"LocalData_00000\" created.\n"), .ok())
        runner.on(["lvchange"], reply: .ok())
        // The node appears only on the second look, as a late udev would make it. (One hidden look:
        // the waiter always looks again after a sleep, so this passes however late the sleep ends.)
        devices.set(self.device, sizeBytes: 159_383_552, hiddenForLooks: 1)

        let provider = self.provider(runner, devices)
        let volume = try await provider.create(self.id, sizeKiB: 153_600, in: self.pool)

        // A new thin LV holds nothing yet; its size is the kernel's.
        #expect(volume == ProvidedVolume(devicePath: self.device, allocatedKiB: 0, usableKiB: 155_648))
        let create = [
            "lvcreate", "--virtualsize", "155648k", "--thinpool", "thinpool", "--name", "LocalData_00000", "--yes", "drbdpool",
        ]
        #expect(runner.argvs == [Self.vgs, create])
        #expect(runner.commands.allSatisfy { $0.environment["LVM_SUPPRESS_FD_WARNINGS"] == "1" })
        #expect(devices.lookCount(self.device) >= 2)

        // The VG's extent size is asked once: the next create is one command, whatever the VG holds.
        let next = VolumeID(resourceName: "Other", volumeNumber: 0)
        devices.set("/dev/drbdpool/Other_00000", sizeBytes: 159_383_552)
        _ = try await provider.create(next, sizeKiB: 153_600, in: self.pool)
        #expect(runner.argvs.dropFirst(2).map { $0[0] } == ["lvcreate"])
    }

    /// A device that does not show up by itself is activated (`lvchange -ay -K`, as LINSTOR does
    /// after every thin create), then waited for.
    @Test func aNewLVWithoutDeviceIsActivated() async throws {
        let runner = RecordingCommandRunner()
        let devices = FakeBlockDevices()
        runner.on(["vgs"], reply: .ok(try Fixture.text("vgs-thin.json")))
        runner.on(["lvcreate"], reply: .ok())
        runner.on(["lvchange"], reply: .ok())
        // Hidden for longer than the pool's 500 ms wait at a 1 ms poll: only the activation brings it.
        devices.set(self.device, sizeBytes: 159_383_552, hiddenForLooks: 100_000)
        let provider = self.provider(runner, devices)
        _ = await #expect(throws: StorageError.self) { try await provider.create(self.id, sizeKiB: 153_600, in: self.pool) }
        #expect(runner.argvs.last == ["lvchange", "--activate", "y", "--ignoreactivationskip", "drbdpool/LocalData_00000"])
    }

    /// A missing thin pool is named as such once lvcreate failed, not left to lvcreate's words.
    @Test func aMissingThinPoolIsNamedAfterLvcreateFails() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["vgs"], reply: .ok(try Fixture.text("vgs-thin.json")))
        runner.on(["lvcreate"], reply: .failed(5, stderr: "  Failed to find logical volume \"drbdpool/thinpool\"\n"))
        runner.on(["lvs"], reply: .ok(#"{"report":[{"lv":[]}]}"#))
        let error = await #expect(throws: StorageError.self) {
            try await self.provider(runner, FakeBlockDevices()).create(self.id, sizeKiB: 153_600, in: self.pool)
        }
        #expect(error?.code == .poolMissing)
        #expect(error?.message == "Storage pool 'thinpool': thin pool 'drbdpool/thinpool' does not exist.")
    }

    @Test func createOfAnExistingVolumeOnlyActivatesAndObserves() async throws {
        let runner = RecordingCommandRunner()
        let devices = FakeBlockDevices()
        runner.on(["vgs"], reply: .ok(try Fixture.text("vgs-thin.json")))
        runner.on(["lvs"], reply: .ok(try Fixture.text("lvs-thin.json")))
        runner.on(["lvchange"], reply: .ok())
        runner.on(["lvcreate"], reply: .failed(5, stderr: "  Logical Volume \"LocalData_00000\" already exists in volume group \"drbdpool\"\n"))
        devices.set(self.device, sizeBytes: 159_383_552)

        let volume = try await self.provider(runner, devices).create(self.id, sizeKiB: 153_600, in: self.pool)
        #expect(volume.usableKiB == 155_648)
        #expect(!runner.argvs.contains { $0.first == "lvresize" })
        #expect(runner.argvs.contains { $0.first == "lvchange" })
    }

    @Test func capacityIsThePoolsSizeLessDataPercent() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["lvs"], reply: .ok(try Fixture.text("lvs-thin.json")))
        let capacity = try await self.provider(runner, FakeBlockDevices()).capacity(of: self.pool)
        // 1 GiB pool, 25 % used.
        #expect(capacity == PoolCapacity(freeKiB: 786_432, totalKiB: 1_048_576))
        #expect(runner.argvs == [Self.lvs("thinpool")])
    }

    @Test func missingThinPoolIsAMissingPool() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["lvs"], reply: .ok(try Fixture.text("lvs-thick.json")))
        let pool = PoolConfig(name: "thinpool", kind: .lvmThin, backingName: "satvg/thinpool")
        let error = await #expect(throws: StorageError.self) {
            try await self.provider(runner, FakeBlockDevices()).capacity(of: pool)
        }
        #expect(error?.code == .poolMissing)
        #expect(error?.message == "Storage pool 'thinpool': thin pool 'satvg/thinpool' does not exist.")
    }

    @Test func missingVolumeGroupIsToldFromRecordedVgsOutput() async throws {
        let runner = RecordingCommandRunner()
        runner.on(
            ["vgs"],
            reply: .failed(
                5,
                stdout: try Fixture.text("vgs-missing.json"),
                stderr: try Fixture.text("vgs-missing.stderr")
            )
        )
        let pool = PoolConfig(name: "thick", kind: .lvm, backingName: "novg")
        let provider = LVMProvider(kind: .lvm, runner: runner)
        let error = await #expect(throws: StorageError.self) { try await provider.capacity(of: pool) }
        #expect(error?.code == .poolMissing)
    }

    @Test func otherVgsFailuresAreNotAMissingPool() async throws {
        let runner = RecordingCommandRunner()
        runner.on(
            ["vgs"],
            reply: .failed(
                5,
                stdout: try Fixture.text("vgs-missing.json"),
                stderr: "  Global lock failed: check that global lockspace is started\n"
            )
        )
        let provider = LVMProvider(kind: .lvm, runner: runner)
        let error = await #expect(throws: StorageError.self) {
            try await provider.capacity(of: PoolConfig(name: "thick", kind: .lvm, backingName: "drbdpool"))
        }
        #expect(error?.code == .commandFailed)
        #expect(error?.commandError?.exitCode == 5)
        #expect(error?.commandError?.stderrTail == "  Global lock failed: check that global lockspace is started")
    }

    @Test func deleteWipesThenRemoves() async throws {
        let runner = RecordingCommandRunner()
        let devices = FakeBlockDevices()
        runner.on(["lvs"], reply: .ok(try Fixture.text("lvs-thin.json")))
        runner.on(["wipefs"], reply: .ok())
        runner.on(["lvremove"], reply: .ok())
        devices.set(self.device, sizeBytes: 159_383_552)

        try await self.provider(runner, devices).delete(self.id, in: self.pool)
        #expect(runner.argvs == [["wipefs", "--all", self.device], ["lvremove", "--force", "drbdpool/LocalData_00000"]])
    }

    /// Volumes of one pool go with one `wipefs` and one `lvremove`; one held open is left, named.
    @Test func deletingManyRunsTwoCommandsAndLeavesAHeldOne() async throws {
        let runner = RecordingCommandRunner()
        let devices = FakeBlockDevices()
        runner.on(["wipefs"], reply: .ok())
        runner.on(["lvremove"], reply: .ok())
        let ids = ["Aa", "Bb", "Cc"].map { VolumeID(resourceName: $0, volumeNumber: 0) }
        devices.set("/dev/drbdpool/Aa_00000", sizeBytes: 4_194_304)
        devices.set("/dev/drbdpool/Bb_00000", sizeBytes: 4_194_304, inUse: true)
        devices.set("/dev/drbdpool/Cc_00000", sizeBytes: 4_194_304)

        let failures = await self.provider(runner, devices).delete(ids, in: self.pool)

        #expect(Array(failures.keys) == [ids[1]] && failures[ids[1]]?.code == .volumeInUse)
        #expect(
            runner.argvs == [
                ["wipefs", "--all", "/dev/drbdpool/Aa_00000", "/dev/drbdpool/Cc_00000"],
                ["lvremove", "--force", "drbdpool/Aa_00000", "drbdpool/Cc_00000"],
            ])
    }

    /// When the batch fails, each LV is removed on its own, so each failure names its volume.
    @Test func aFailedBatchFallsBackToOneByOne() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["lvremove", "--force", "drbdpool/Aa_00000", "drbdpool/Bb_00000"], reply: .failed(5, stderr: "  Logical volume drbdpool/Bb_00000 in use.\n"))
        runner.on(["lvremove", "--force", "drbdpool/Aa_00000"], reply: .failed(5, stderr: "  Failed to find logical volume \"drbdpool/Aa_00000\"\n"))
        runner.on(["lvremove", "--force", "drbdpool/Bb_00000"], reply: .failed(5, stderr: "  Logical volume drbdpool/Bb_00000 in use.\n"))
        let ids = ["Aa", "Bb"].map { VolumeID(resourceName: $0, volumeNumber: 0) }

        let failures = await self.provider(runner, FakeBlockDevices()).delete(ids, in: self.pool)

        #expect(Array(failures.keys) == [ids[1]] && failures[ids[1]]?.code == .volumeInUse)
        #expect(runner.argvs.count == 3)
    }

    /// An LV that is already gone is success, as LVM words it (recorded from lvm 2.03.16).
    @Test func deleteOfAMissingVolumeSucceeds() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["lvremove"], reply: .failed(5, stderr: "  Failed to find logical volume \"drbdpool/LocalData_00000\"\n"))
        try await self.provider(runner, FakeBlockDevices()).delete(self.id, in: self.pool)
        #expect(runner.argvs == [["lvremove", "--force", "drbdpool/LocalData_00000"]])
    }

    @Test func deleteOfAHeldDeviceRunsNothing() async throws {
        let runner = RecordingCommandRunner()
        let devices = FakeBlockDevices()
        runner.on(["lvs"], reply: .ok(try Fixture.text("lvs-thin.json")))
        devices.set(self.device, sizeBytes: 159_383_552, inUse: true)

        let error = await #expect(throws: StorageError.self) {
            try await self.provider(runner, devices).delete(self.id, in: self.pool)
        }
        #expect(error?.code == .volumeInUse)
        #expect(
            error?.message
                == "Volume LocalData_00000 in pool 'thinpool' is in use: \(self.device) is mounted or held open."
        )
        #expect(runner.argvs.isEmpty)
    }

    @Test func lvremoveSayingInUseIsVolumeInUse() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["lvs"], reply: .ok(try Fixture.text("lvs-thin.json")))
        runner.on(["lvremove"], reply: .failed(5, stderr: "  Logical volume drbdpool/LocalData_00000 in use.\n"))
        // No device node (inactive LV): nothing to wipe.
        let error = await #expect(throws: StorageError.self) {
            try await self.provider(runner, FakeBlockDevices()).delete(self.id, in: self.pool)
        }
        #expect(error?.code == .volumeInUse)
        #expect(error?.commandError?.exitCode == 5)
    }

    @Test func deviceThatNeverAppearsIsADeviceTimeoutNamingThePath() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["vgs"], reply: .ok(try Fixture.text("vgs-thin.json")))
        runner.on(["lvs"], reply: .ok(try Fixture.text("lvs-thin.json")))
        runner.on(["lvcreate"], reply: .ok())
        runner.on(["lvchange"], reply: .ok())
        let error = await #expect(throws: StorageError.self) {
            try await self.provider(runner, FakeBlockDevices()).create(self.id, sizeKiB: 153_600, in: self.pool)
        }
        #expect(error?.code == .deviceTimeout)
        #expect(error?.message == "Device \(self.device) did not appear within 500 ms.")
    }

    @Test(arguments: ["drbdpool", "drbdpool/thin/x", "-vg/thin", "drbd pool/thin", "vg/"])
    func thinPoolNameMustBeVolumeGroupSlashThinPool(backing: String) async throws {
        let runner = RecordingCommandRunner()
        let pool = PoolConfig(name: "bad", kind: .lvmThin, backingName: backing)
        let error = await #expect(throws: StorageError.self) {
            try await self.provider(runner, FakeBlockDevices()).capacity(of: pool)
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(runner.commands.isEmpty)
    }

    @Test func lvcreateOptionsAndConfigReachTheCommandAsSeparateArguments() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["lvcreate"], reply: .ok())
        runner.on(["vgs"], reply: .ok(try Fixture.text("vgs-thin.json")))
        let lvs = try Fixture.text("lvs-thick.json").replacing("satvg", with: "drbdpool")
        runner.on(["lvs"], reply: .ok(lvs))
        let provider = LVMProvider(
            kind: .lvm,
            runner: runner,
            settings: LVMProvider.Settings(
                config: "devices { filter=['a|/dev/sdb|','r|.*|'] }",
                deviceHandling: .metadataOnlyForTesting
            )
        )
        let pool = PoolConfig(
            name: "thick",
            kind: .lvm,
            backingName: "drbdpool",
            props: [PoolConfig.PropertyKey.lvcreateOptions: "--stripes 2  --type striped"]
        )
        let volume = try await provider.create(self.id, sizeKiB: 10_240, in: pool)
        #expect(volume.usableKiB == 12_288)
        let lvcreate = try #require(runner.argvs.first { $0.first == "lvcreate" })
        #expect(
            lvcreate == [
                "lvcreate", "--config", "devices { filter=['a|/dev/sdb|','r|.*|'] }",
                "--size", "12288k", "--name", "LocalData_00000", "--yes", "--stripes", "2", "--type", "striped",
                "drbdpool",
            ]
        )
    }
}

@Suite("LVM report parsing")
struct LVMReportTests {
    @Test func parsesRecordedThickOutput() throws {
        let groups = try LVMReport.volumeGroups(try Fixture.text("vgs-thick.json"))
        #expect(
            groups == [
                LVMReport.VolumeGroup(
                    name: "satvg",
                    extentSizeBytes: 4_194_304,
                    sizeBytes: 62_914_560,
                    freeBytes: 50_331_648
                )
            ]
        )
        let volumes = try LVMReport.logicalVolumes(try Fixture.text("lvs-thick.json"))
        #expect(volumes.count == 1)
        #expect(volumes.first?.path == "/dev/satvg/LocalData_00000")
        #expect(volumes.first?.sizeBytes == 12_582_912)
        #expect(volumes.first?.dataPercent == nil)
        #expect(volumes.first?.isThinPool == false)
    }

    @Test func parsesThinOutput() throws {
        let volumes = try LVMReport.logicalVolumes(try Fixture.text("lvs-thin.json"))
        #expect(volumes.map(\.name) == ["LocalData_00000", "thinpool"])
        #expect(volumes.map(\.dataPercent) == [12.5, 25])
        #expect(volumes.map(\.isThinPool) == [false, true])
        #expect(volumes[0].poolLV == "thinpool")
    }

    @Test func emptyAndBrokenOutput() throws {
        #expect(try LVMReport.volumeGroups(try Fixture.text("vgs-missing.json")).isEmpty)
        #expect(try LVMReport.volumeGroups("").isEmpty)
        #expect(throws: StorageError.self) { try LVMReport.volumeGroups("  WARNING: not json") }
        #expect(throws: StorageError.self) {
            try LVMReport.logicalVolumes(#"{"report":[{"lv":[{"lv_name":"x","lv_size":"big"}]}]}"#)
        }
    }
}
