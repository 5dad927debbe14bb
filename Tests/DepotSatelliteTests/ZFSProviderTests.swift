import DepotModel
import DepotTestSupport
import Testing

@testable import DepotSatellite

/// ZFS and ZFS_THIN through their command lines: ZFS cannot be installed here (no kernel module),
/// so a recording runner answers in `zfs`'s exact scripted (`-H -p`) format (Fixtures/README.md)
/// and a fake device table stands in for `/dev/zvol/...`.
@Suite("ZFSProvider command lines and parsing")
struct ZFSProviderTests {
    let id = VolumeID(resourceName: "LocalData", volumeNumber: 0)
    let pool = PoolConfig(name: "zfspool", kind: .zfsThin, backingName: "tank", waitTimeout: .milliseconds(300))
    let device = "/dev/zvol/tank/LocalData_00000"
    static let list = [
        "zfs", "list", "-H", "-p", "-d", "1", "-t", "volume", "-o", "name,volsize,referenced,volblocksize", "tank",
    ]

    func provider(_ kind: ProviderKind, _ runner: RecordingCommandRunner, _ devices: FakeBlockDevices) -> ZFSProvider {
        ZFSProvider(
            kind: kind,
            runner: runner,
            deviceWaiter: DeviceWaiter(devices: devices, pollInterval: .milliseconds(1))
        )
    }

    @Test(arguments: [(ProviderKind.zfsThin, ["-s"]), (.zfs, [])])
    func createRunsZfsCreateAndWaitsForTheZvol(kind: ProviderKind, sparse: [String]) async throws {
        let runner = RecordingCommandRunner()
        let devices = FakeBlockDevices()
        runner.on(["zfs", "list"], reply: .ok(""), .ok(try Fixture.text("zfs-list.txt")))
        runner.on(["zfs", "create"], reply: .ok())
        // Hidden for one look only: the waiter looks again after every sleep, however late it ends.
        devices.set(self.device, sizeBytes: 157_286_400, hiddenForLooks: 1)

        let volume = try await self.provider(kind, runner, devices).create(self.id, sizeKiB: 153_598, in: self.pool)

        // 153598 KiB rounds up to 8 KiB: 153600 KiB.
        #expect(
            runner.argvs == [
                Self.list, ["zfs", "create"] + sparse + ["-V", "153600k", "tank/LocalData_00000"], Self.list,
            ]
        )
        #expect(volume.devicePath == self.device)
        #expect(volume.usableKiB == 153_600)
        #expect(volume.allocatedKiB == (kind == .zfsThin ? 56 : 153_600))
    }

    @Test func existingZvolIsReturnedWithoutCreating() async throws {
        let runner = RecordingCommandRunner()
        let devices = FakeBlockDevices()
        runner.on(["zfs", "list"], reply: .ok(try Fixture.text("zfs-list.txt")))
        devices.set(self.device, sizeBytes: 157_286_400)
        let volume = try await self.provider(.zfsThin, runner, devices).create(self.id, sizeKiB: 153_600, in: self.pool)
        #expect(volume == ProvidedVolume(devicePath: self.device, allocatedKiB: 56, usableKiB: 153_600))
        #expect(runner.argvs == [Self.list, Self.list])
    }

    @Test func resizeRoundsToTheZvolsBlockSizeAndSetsVolsize() async throws {
        let runner = RecordingCommandRunner()
        let devices = FakeBlockDevices()
        let grown = try Fixture.text("zfs-list.txt").replacing("157286400", with: "209731584")
        runner.on(["zfs", "list"], reply: .ok(try Fixture.text("zfs-list.txt")), .ok(grown))
        runner.on(["zfs", "set"], reply: .ok())
        devices.set(self.device, sizeBytes: 209_731_584)
        let volume = try await self.provider(.zfsThin, runner, devices).resize(self.id, sizeKiB: 204_801, in: self.pool)
        // The recorded zvol has volblocksize 16384: 204801 KiB → 204816 KiB.
        #expect(runner.argvs == [Self.list, ["zfs", "set", "volsize=204816k", "tank/LocalData_00000"], Self.list])
        #expect(volume.usableKiB == 204_816)
    }

    @Test func capacityIsAvailablePlusUsed() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["zfs", "get"], reply: .ok(try Fixture.text("zfs-get.txt")))
        let capacity = try await self.provider(.zfs, runner, FakeBlockDevices()).capacity(of: self.pool)
        #expect(runner.argvs == [["zfs", "get", "-H", "-p", "-o", "property,value", "available,used", "tank"]])
        #expect(capacity == PoolCapacity(freeKiB: 94_371_840, totalKiB: 104_857_600))
    }

    @Test func missingDatasetIsAMissingPool() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["zfs"], reply: .failed(1, stderr: "cannot open 'tank': dataset does not exist\n"))
        let provider = self.provider(.zfs, runner, FakeBlockDevices())
        let capacity = await #expect(throws: StorageError.self) { try await provider.capacity(of: self.pool) }
        #expect(capacity?.code == .poolMissing)
        #expect(capacity?.commandError?.stderrTail == "cannot open 'tank': dataset does not exist")
        let observe = await #expect(throws: StorageError.self) { try await provider.volume(self.id, in: self.pool) }
        #expect(observe?.code == .poolMissing)
    }

    @Test func deleteDestroysAndMapsBusyToInUse() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["zfs", "list"], reply: .ok(try Fixture.text("zfs-list.txt")))
        runner.on(
            ["zfs", "destroy"],
            reply: .ok(),
            .failed(1, stderr: "cannot destroy 'tank/LocalData_00000': dataset is busy\n")
        )
        let provider = self.provider(.zfs, runner, FakeBlockDevices())
        try await provider.delete(self.id, in: self.pool)
        #expect(runner.argvs == [Self.list, ["zfs", "destroy", "tank/LocalData_00000"]])

        let error = await #expect(throws: StorageError.self) { try await provider.delete(self.id, in: self.pool) }
        #expect(error?.code == .volumeInUse)
        #expect(error?.commandError?.commandLine == "zfs destroy tank/LocalData_00000")
    }

    @Test func deleteOfAGoneZvolRunsOnlyTheListing() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["zfs", "list"], reply: .ok(""))
        try await self.provider(.zfs, runner, FakeBlockDevices()).delete(self.id, in: self.pool)
        #expect(runner.argvs == [Self.list])
    }

    @Test func createOptionsSetTheRoundingBlockSize() async throws {
        #expect(ZFSProvider.blockSizeKiB(in: []) == 8)
        #expect(ZFSProvider.blockSizeKiB(in: ["-b", "64k"]) == 64)
        #expect(ZFSProvider.blockSizeKiB(in: ["-b32K"]) == 32)
        #expect(ZFSProvider.blockSizeKiB(in: ["-o", "volblocksize=16KB", "-o", "compression=lz4"]) == 16)
        #expect(ZFSProvider.blockSizeKiB(in: ["-o", "volblocksize=131072"]) == 128)

        let runner = RecordingCommandRunner()
        runner.on(["zfs", "list"], reply: .ok(""), .ok(try Fixture.text("zfs-list.txt")))
        runner.on(["zfs", "create"], reply: .ok())
        let devices = FakeBlockDevices()
        devices.set(self.device, sizeBytes: 157_286_400)
        var pool = self.pool
        pool.props[PoolConfig.PropertyKey.zfsCreateOptions] = "-b 64k -o compression=lz4"
        _ = try await self.provider(.zfsThin, runner, devices).create(self.id, sizeKiB: 100, in: pool)
        #expect(
            runner.argvs[1] == [
                "zfs", "create", "-s", "-V", "128k", "-b", "64k", "-o", "compression=lz4", "tank/LocalData_00000",
            ]
        )
    }

    @Test(arguments: ["", "-tank", "tank//x", "tank/a b", "1tank"])
    func poolNameMustBeADatasetName(backing: String) async throws {
        let runner = RecordingCommandRunner()
        let pool = PoolConfig(name: "bad", kind: .zfs, backingName: backing)
        let error = await #expect(throws: StorageError.self) {
            try await self.provider(.zfs, runner, FakeBlockDevices()).volume(self.id, in: pool)
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(runner.commands.isEmpty)
    }

    @Test func parsesScriptedListOutput() throws {
        let volumes = try ZFSList.volumes(try Fixture.text("zfs-list.txt"))
        #expect(volumes.map(\.name) == ["tank/LocalData_00000", "tank/other_00000"])
        #expect(volumes[0].volumeSizeBytes == 157_286_400)
        #expect(volumes[0].blockSizeBytes == 16_384)
        #expect(throws: StorageError.self) { try ZFSList.volumes("tank/x\t-\t1\t8192\n") }
        #expect(throws: StorageError.self) { try ZFSList.volumes("tank/x 1 2 3\n") }
    }
}
