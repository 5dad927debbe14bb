import DepotModel
import DepotWire
import Testing

@testable import DepotController

/// `create-device-pool` bodies as python-linstor sends them, and what Depot refuses before any
/// disk is touched.
@Suite struct DevicePoolRequestTests {
    @Test func namesFollowLINSTOR() throws {
        let thin = try DevicePoolRequest.order(PhysicalStorageCreateDTO(providerKind: "lvmthin", devicePaths: ["/dev/sdb"], poolName: "fast"))
        #expect(thin.kind == .lvmThin && thin.volumeGroup == "linstor_fast" && thin.thinPool == "fast" && thin.poolName == "linstor_fast/fast")
        let named = try DevicePoolRequest.order(PhysicalStorageCreateDTO(providerKind: "LVM_THIN", devicePaths: ["/dev/sdb"], poolName: "vg1/tp"))
        #expect(named.volumeGroup == "vg1" && named.thinPool == "tp")
        let thick = try DevicePoolRequest.order(PhysicalStorageCreateDTO(providerKind: "lvm", devicePaths: ["/dev/disk/by-id/nvme-SSD_S1", "/dev/sdc"]))
        #expect(thick.kind == .lvm && thick.poolName == "linstor_nvme-SSD_S1", "named after the first disk")
        let zfs = try DevicePoolRequest.order(PhysicalStorageCreateDTO(providerKind: "zfsthin", devicePaths: ["/dev/sdb"], poolName: "tank"))
        #expect(zfs.kind == .zfsThin && zfs.poolName == "tank")
        let pool = DevicePoolRequest.storagePool(PhysicalStorageStoragePoolDTO(name: "fast", props: ["PrefNic": "data"]), order: thin)
        #expect(pool.providerKind == "LVM_THIN" && pool.props == ["StorDriver/StorPoolName": "linstor_fast/fast", "PrefNic": "data"])
    }

    @Test func whatCannotBeDoneIsRefusedWithTheReason() {
        func refusal(_ body: PhysicalStorageCreateDTO) -> DepotError? {
            do {
                _ = try DevicePoolRequest.order(body)
                return nil
            } catch {
                return error
            }
        }
        #expect(refusal(PhysicalStorageCreateDTO(providerKind: "spdk", devicePaths: ["/dev/sdb"]))?.code == .failInvalidProvider)
        #expect(refusal(PhysicalStorageCreateDTO(providerKind: "lvm", devicePaths: []))?.message == "Field 'device_paths' is empty.")
        for path in ["sdb", "/dev/", "/dev/../etc/passwd", "/dev/sdb;reboot", "/dev/sd b"] {
            #expect(refusal(PhysicalStorageCreateDTO(providerKind: "lvm", devicePaths: [path]))?.message == "'\(path)' is not a device path.")
        }
        #expect(refusal(PhysicalStorageCreateDTO(providerKind: "lvm", devicePaths: ["/dev/sdb", "/dev/sdb"])) != nil)
        for name in ["-ff", "a/b", "vg name", "..", String(repeating: "v", count: 128)] {
            #expect(refusal(PhysicalStorageCreateDTO(providerKind: "lvm", devicePaths: ["/dev/sdb"], poolName: name))?.message == "The pool name '\(name)' is invalid.")
        }
        var vdo = PhysicalStorageCreateDTO(providerKind: "lvm", devicePaths: ["/dev/sdb"])
        vdo.vdoEnable = true
        #expect(refusal(vdo)?.code == .failStorageDriverNotSupported)
        var sed = PhysicalStorageCreateDTO(providerKind: "lvm", devicePaths: ["/dev/sdb"])
        sed.sed = true
        #expect(refusal(sed)?.code == .failStorageDriverNotSupported)
        var raid = PhysicalStorageCreateDTO(providerKind: "lvm", devicePaths: ["/dev/sdb"])
        raid.raidLevel = "RAID5"
        #expect(refusal(raid)?.message == "RAID level 'RAID5' is not supported.")
        var sneaky = PhysicalStorageCreateDTO(providerKind: "lvm", devicePaths: ["/dev/sdb"])
        sneaky.vgCreateArguments = ["/dev/sda"]
        #expect(refusal(sneaky)?.message == "The extra argument '/dev/sda' is refused.", "disks only through device_paths, where they are checked")
    }

    @Test func disksAreGroupedBySizeAndKindAcrossNodes() {
        let ssd = PhysicalStorageNodeDTO(size: 100, rotational: false, device: "/dev/sdb", serial: "S1")
        let groups = RESTRoutes.grouped([
            ("beta", [ssd, PhysicalStorageNodeDTO(size: 100, rotational: true, device: "/dev/sdc")]), ("alpha", [ssd]),
        ])
        #expect(groups.map(\.size) == [100, 100] && groups.map(\.rotational) == [false, true])
        #expect(groups[0].nodes == ["alpha": [PhysicalStorageDeviceDTO(device: "/dev/sdb", serial: "S1")], "beta": [PhysicalStorageDeviceDTO(device: "/dev/sdb", serial: "S1")]])
        #expect(groups[1].nodes == ["beta": [PhysicalStorageDeviceDTO(device: "/dev/sdc")]])
    }
}
