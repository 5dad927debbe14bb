import DepotModel
import DepotTestSupport
import Testing

@testable import DepotSatellite

/// Which providers take snapshots, how the others refuse, and how snapshot objects are named.
@Suite("Snapshot support and naming")
struct SnapshotSupportTests {
    let id = VolumeID(resourceName: "SharedData", volumeNumber: 0)

    /// Users snapshot thin pools only (LINSTOR's rule); a clone snapshots every kind with storage.
    @Test func usersSnapshotThinPoolsAndClonesEveryPoolWithStorage() {
        let providers = StorageProviders(runner: RecordingCommandRunner())
        #expect(Set(ProviderKind.allCases.filter(\.supportsSnapshots)) == [.lvmThin, .zfs, .zfsThin, .fileThin])
        #expect(Set(ProviderKind.allCases.filter { providers.provider(for: $0).supportsSnapshots }) == Set(ProviderKind.allCases).subtracting([.diskless]))
        #expect(Set(ProviderKind.allCases.filter { providers.provider(for: $0).restoresFromOwnSnapshots }) == [.lvmThin, .zfs, .zfsThin, .file, .fileThin])
    }

    /// DISKLESS refuses every snapshot operation before running any command, with LINSTOR's message,
    /// and lists no snapshots.
    @Test func disklessRefusesWithoutRunningAnything() async throws {
        let runner = RecordingCommandRunner()
        let provider = StorageProviders(runner: runner).provider(for: .diskless)
        let pool = PoolConfig(name: "pool1", kind: .diskless, backingName: "")
        let other = VolumeID(resourceName: "Other", volumeNumber: 0)
        for operation in 0..<7 {
            let error = await #expect(throws: StorageError.self) {
                switch operation {
                case 0: try await provider.createSnapshot("Snap1", of: self.id, in: pool)
                case 1: try await provider.deleteSnapshot("Snap1", of: self.id, in: pool)
                case 2: _ = try await provider.restore(other, from: "Snap1", of: self.id, sizeKiB: 4096, in: pool)
                case 3: _ = try await provider.rollback(self.id, to: "Snap1", in: pool)
                case 4: _ = try await provider.openSnapshot("Snap1", of: self.id, in: pool)
                case 5: try await provider.closeSnapshot("Snap1", of: self.id, in: pool)
                // Refused before the (bad) name is even looked at.
                default: try await provider.createSnapshot("bad name", of: self.id, in: pool)
                }
            }
            #expect(error?.code == .snapshotsNotSupported)
            #expect(error?.message == "Storage pool 'pool1' (DISKLESS) does not support snapshots.")
        }
        #expect(try await provider.snapshots(in: pool).isEmpty)
        #expect(runner.argvs.isEmpty)
    }

    /// Thick LVM and FILE take snapshots for clones only: a rollback (users' snapshots) is refused
    /// before any command, and so is a thick LVM restore in place (its snapshots are copied).
    @Test(arguments: [ProviderKind.lvm, .file])
    func thickPoolsRefuseRollbackWithoutRunningAnything(kind: ProviderKind) async throws {
        let runner = RecordingCommandRunner()
        let provider = StorageProviders(runner: runner).provider(for: kind)
        let pool = PoolConfig(name: "pool1", kind: kind, backingName: kind == .lvm ? "drbdpool" : "/var/lib/depot-test-pool")
        let rollback = await #expect(throws: StorageError.self) { _ = try await provider.rollback(self.id, to: "Snap1", in: pool) }
        #expect(rollback?.code == .snapshotsNotSupported)
        if kind == .lvm {
            let restore = await #expect(throws: StorageError.self) {
                _ = try await provider.restore(VolumeID(resourceName: "Other", volumeNumber: 0), from: "Snap1", of: self.id, sizeKiB: 4096, in: pool)
            }
            #expect(restore?.message == "Storage pool 'pool1' (LVM) does not support snapshots.")
        }
        #expect(runner.argvs.isEmpty)
    }

    @Test(arguments: ["", "x", "1snap", "-snap", "snap.1", "snap/1", "snap@1", "../../etc", "a b", String(repeating: "s", count: 49)])
    func invalidSnapshotNamesReachNoCommand(name: String) async throws {
        let runner = RecordingCommandRunner()
        let providers = StorageProviders(runner: runner)
        for kind in [ProviderKind.lvmThin, .zfs, .zfsThin] {
            let pool = PoolConfig(name: "pool1", kind: kind, backingName: kind == .lvmThin ? "drbdpool/thinpool" : "tank")
            let error = await #expect(throws: StorageError.self) {
                try await providers.provider(for: kind).createSnapshot(name, of: self.id, in: pool)
            }
            #expect(error?.code == .invalidName)
            let rollback = await #expect(throws: StorageError.self) {
                _ = try await providers.provider(for: kind).rollback(self.id, to: name, in: pool)
            }
            #expect(rollback?.code == .invalidName)
        }
        #expect(runner.argvs.isEmpty)
    }

    @Test func snapshotObjectsAreNamedAsLINSTORNamesThem() {
        #expect(SnapshotNames.objectName("Snap1", of: self.id) == "SharedData_00000_Snap1")
        let meta = VolumeID(resourceName: "SharedData", volumeNumber: 3, suffix: ".meta")
        #expect(SnapshotNames.objectName("Snap1", of: meta) == "SharedData.meta_00003_Snap1")
    }

    @Test func snapshotNamesAreReadBackAndVolumesAreNot() {
        #expect(SnapshotNames.readings(of: "SharedData_00000_Snap1").map(\.backing) == ["SharedData_00000"])
        #expect(SnapshotNames.readings(of: "SharedData_00000_Snap1").map(\.snapshot) == ["Snap1"])
        #expect(SnapshotNames.readings(of: "SharedData.meta_00003_snap-2").map(\.backing) == ["SharedData.meta_00003"])
        for volume in ["SharedData_00000", "pvc-1a2b_00001", "Snap_00000"] {
            #expect(SnapshotNames.readings(of: volume).isEmpty, "\(volume) is a volume's name")
        }
        // Not a backing name before the snapshot: no digits, a bad suffix, a number past 65535.
        for other in ["SharedData_Snap1", "Shared.x_00000_Snap1", "SharedData_99999_Snap1", "thinpool"] {
            #expect(SnapshotNames.readings(of: other).isEmpty, "\(other) is no snapshot")
        }
        // LINSTOR's naming is ambiguous for odd names: every reading is given.
        let both = SnapshotNames.readings(of: "A1_00000_B1_00000_S1")
        #expect(both.map(\.backing) == ["A1_00000", "A1_00000_B1_00000"])
        #expect(both.map(\.snapshot) == ["B1_00000_S1", "S1"])
    }

    @Test func setAsideZvolNamesAreReadBack() {
        #expect(ZFSProvider.deletedVolumeBackingName("SharedData_00000.deleted-1764000000") == "SharedData_00000")
        for name in ["SharedData_00000", "SharedData_00000.deleted-", "SharedData_00000.deleted-12x", "x.deleted-1"] {
            #expect(ZFSProvider.deletedVolumeBackingName(name) == nil, "\(name)")
        }
    }
}
