import DepotTestSupport
import DepotWire
import Testing

@testable import DepotSatellite

/// `physical-storage list` and `create-device-pool` on the satellite: lsblk's rows as this host's
/// util-linux prints them (JSON numbers and booleans) and as older ones do (strings), the disks
/// held or signed that must never be offered, and the commands a pool takes.
@Suite struct PhysicalStorageTests {
    static let lsblkArguments = ["lsblk", "--json", "--list", "--bytes", "--paths", "--output"]

    static let lsblk = """
        {"blockdevices": [
          {"name": "/dev/sda", "size": 536870912000, "rota": true, "fstype": null, "pkname": null, "maj:min": "8:0", "model": "ST500", "serial": "Z1", "wwn": null},
          {"name": "/dev/sda1", "size": 536869863424, "rota": true, "fstype": "ext4", "pkname": "/dev/sda", "maj:min": "8:1", "model": null, "serial": null, "wwn": null},
          {"name": "/dev/sdb", "size": 107374182400, "rota": false, "fstype": null, "pkname": null, "maj:min": "8:16", "model": "SSD 1", "serial": "S1", "wwn": "0x5000c500"},
          {"name": "/dev/sdc", "size": 107374182400, "rota": false, "fstype": "LVM2_member", "pkname": null, "maj:min": "8:32", "model": null, "serial": null, "wwn": null},
          {"name": "/dev/loop0", "size": 536870912, "rota": true, "fstype": null, "pkname": null, "maj:min": "7:0", "model": null, "serial": null, "wwn": null},
          {"name": "/dev/drbd1000", "size": 2147483648, "rota": false, "fstype": null, "pkname": null, "maj:min": "147:1000", "model": null, "serial": null, "wwn": null},
          {"name": "/dev/sdd", "size": "2147483648", "rota": "1", "fstype": "", "pkname": "", "maj:min": "8:48", "model": "Old disk  ", "serial": "", "wwn": ""},
          {"name": "/dev/sde", "size": 1073741824, "rota": false, "fstype": null, "pkname": null, "maj:min": "8:64", "model": null, "serial": null, "wwn": null}
        ]}
        """

    @Test func candidatesFollowLINSTORsRules() throws {
        let disks = try PhysicalStorage.candidates(lsblk: Self.lsblk)
        #expect(disks.map(\.device) == ["/dev/sdb", "/dev/sdd"], "no parent or children, over 1 GiB, no signature, not DRBD")
        #expect(disks[0] == PhysicalStorageNodeDTO(size: 107_374_182_400, rotational: false, device: "/dev/sdb", model: "SSD 1", serial: "S1", wwn: "0x5000c500"))
        #expect(disks[1] == PhysicalStorageNodeDTO(size: 2_147_483_648, rotational: true, device: "/dev/sdd", model: "Old disk"), "older lsblk's strings")
        #expect(throws: StorageError.self) { try PhysicalStorage.candidates(lsblk: "lsblk: unknown column") }
    }

    func runner() -> RecordingCommandRunner {
        let runner = RecordingCommandRunner()
        runner.on(Self.lsblkArguments, reply: .ok(Self.lsblk))
        runner.on(["blkid", "-p", "-o", "export", "/dev/sdb"], reply: .failed(2, stderr: ""))
        runner.on(["blkid", "-p", "-o", "export", "/dev/sdd"], reply: .ok("DEVNAME=/dev/sdd\nTYPE=xfs\n"))
        return runner
    }

    @Test func disksHeldOrCarryingASignatureAreNotOffered() async throws {
        let runner = self.runner()
        runner.on(["blkid", "-p", "-o", "export", "/dev/sdd"], reply: .failed(2, stderr: "blkid: error: /dev/sdd: Operation not permitted"))
        let devices = FakeBlockDevices()
        #expect(try await PhysicalStorage(runner: runner, blockDevices: devices).unusedDisks().map(\.device) == ["/dev/sdb"], "an unreadable disk stays out")
        devices.set("/dev/sdb", sizeBytes: 107_374_182_400, inUse: true)
        #expect(try await PhysicalStorage(runner: runner, blockDevices: devices).unusedDisks().isEmpty, "a disk held open exclusively stays out")
    }

    @Test func anLVMThinPoolIsMadeStepByStepAndUndoneWhenAStepFails() async {
        let runner = self.runner()
        runner.on(["pvcreate"], reply: .ok())
        runner.on(["vgcreate"], reply: .ok())
        runner.on(["lvcreate"], reply: .failed(5, stderr: "  Insufficient free space"))
        runner.on(["vgremove"], reply: .ok())
        runner.on(["pvremove"], reply: .ok())
        let order = DevicePoolOrder(kind: .lvmThin, devices: ["/dev/sdb"], volumeGroup: "linstor_fast", thinPool: "fast", pvCreateArguments: ["--dataalignment", "1m"])
        let (steps, failure) = await PhysicalStorage(runner: runner, blockDevices: FakeBlockDevices()).createPool(order)
        #expect(steps == ["Physical volume created on '/dev/sdb'.", "Volume group 'linstor_fast' created on /dev/sdb."])
        #expect(failure?.contains("Insufficient free space") == true)
        let made = runner.argvs.filter { !["lsblk", "blkid"].contains($0[0]) }
        #expect(
            made == [
                ["pvcreate", "--dataalignment", "1m", "/dev/sdb"], ["vgcreate", "linstor_fast", "/dev/sdb"],
                ["lvcreate", "--yes", "--extents", "100%FREE", "--thinpool", "fast", "linstor_fast"], ["vgremove", "--yes", "linstor_fast"],
                ["pvremove", "--yes", "/dev/sdb"],
            ])
    }

    @Test func aZpoolIsMadeOnTheDisks() async {
        let runner = self.runner()
        runner.on(["zpool", "create"], reply: .ok())
        let order = DevicePoolOrder(kind: .zfsThin, devices: ["/dev/sdb"], volumeGroup: "tank", zpoolCreateArguments: ["-o", "ashift=12"])
        let (steps, failure) = await PhysicalStorage(runner: runner, blockDevices: FakeBlockDevices()).createPool(order)
        #expect(failure == nil)
        #expect(steps == ["Zpool 'tank' created on /dev/sdb."])
        #expect(runner.argvs.last == ["zpool", "create", "-o", "ashift=12", "tank", "/dev/sdb"])
    }

    @Test func aDiskNotOfferedIsRefusedBeforeAnyCommand() async {
        let runner = self.runner()
        let order = DevicePoolOrder(kind: .lvm, devices: ["/dev/sdb", "/dev/sdc"], volumeGroup: "vg0")
        let (steps, failure) = await PhysicalStorage(runner: runner, blockDevices: FakeBlockDevices()).createPool(order)
        #expect(steps.isEmpty)
        #expect(failure?.hasPrefix("/dev/sdc is not an unused disk on this node") == true)
        #expect(runner.argvs.allSatisfy { ["lsblk", "blkid"].contains($0[0]) })
    }
}
