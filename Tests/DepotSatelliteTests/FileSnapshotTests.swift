import DepotModel
import Foundation
import Testing

@testable import DepotSatellite

extension HostStorageTests {
    /// FILE and FILE_THIN snapshots for real: `cp` of image files, real loop devices, data written
    /// and read through the devices.
    @Suite(
        "FileProvider snapshots on real loop devices",
        .requiresRoot,
        .requiresLoopDevices,
        .requiresTool("losetup"),
        .requiresTool("cp")
    )
    struct FileSnapshotTests {
        let runner = SubprocessCommandRunner()
        let id = VolumeID(resourceName: "SharedData", volumeNumber: 0)
        let restored = VolumeID(resourceName: "Restored", volumeNumber: 0)
        let pattern = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 * 7 + 1) })
        let overwrite = Data(repeating: 0xEE, count: 4096)

        func pool(_ scratch: Scratch, _ kind: ProviderKind) -> PoolConfig {
            PoolConfig(name: "filepool", kind: kind, backingName: scratch.path)
        }

        @Test func snapshotRollbackRestoreDelete() async throws {
            let kind = ProviderKind.fileThin
            try await Scratch.with { scratch in
                let provider = FileProvider(kind: kind, runner: self.runner)
                let pool = self.pool(scratch, kind)
                #expect(provider.supportsSnapshots)
                let device = try #require(try await provider.create(self.id, sizeKiB: 4096, in: pool).devicePath)
                try DeviceBytes.write(self.pattern, to: device)

                try await provider.createSnapshot("Snap1", of: self.id, in: pool)
                try await provider.createSnapshot("Snap1", of: self.id, in: pool)
                #expect(FileManager.default.fileExists(atPath: scratch.file("SharedData_00000_Snap1.img")), "LINSTOR's name")
                #expect(try await provider.snapshots(in: pool) == ["SharedData_00000": ["Snap1"]])
                #expect(Set(try await provider.inventory(of: pool).keys) == ["SharedData_00000"], "a snapshot is no volume")

                try DeviceBytes.write(self.overwrite, to: device)
                #expect(try DeviceBytes.read(from: device) == self.overwrite)
                let rolledBack = try await provider.rollback(self.id, to: "Snap1", in: pool)
                #expect(rolledBack.devicePath == device, "attached again to the same loop device")
                #expect(try DeviceBytes.read(from: device) == self.pattern)
                #expect(rolledBack.usableKiB == 4096)
                #expect(await scratch.loopDevices() == [device])
                #expect(try await provider.snapshots(in: pool) == ["SharedData_00000": ["Snap1"]], "the snapshot stays")

                // Restored into a new, bigger volume.
                let copy = try await provider.restore(self.restored, from: "Snap1", of: self.id, sizeKiB: 8190, in: pool)
                let copyDevice = try #require(copy.devicePath)
                #expect(copy.usableKiB == 8192)
                #expect(SystemBlockDevices().sizeOfBlockDevice(at: copyDevice) == Int64(8192 * 1024))
                #expect(try DeviceBytes.read(from: copyDevice) == self.pattern)
                #expect(try await provider.restore(self.restored, from: "Snap1", of: self.id, sizeKiB: 8190, in: pool) == copy)
                #expect(Set(try await provider.inventory(of: pool).keys) == ["SharedData_00000", "Restored_00000"])

                try await provider.deleteSnapshot("Snap1", of: self.id, in: pool)
                try await provider.deleteSnapshot("Snap1", of: self.id, in: pool)
                #expect(try await provider.snapshots(in: pool).isEmpty)
                #expect(try DeviceBytes.read(from: copyDevice) == self.pattern, "the restored volume does not depend on the snapshot")
                let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted()
                #expect(leftovers == ["Restored_00000.img", "SharedData_00000.img"], "no partial copies")

                try await provider.delete(self.restored, in: pool)
                try await provider.delete(self.id, in: pool)
            }
        }

        /// Snapshots outlive their volume: restorable after the volume is gone.
        @Test func snapshotOutlivesItsVolume() async throws {
            try await Scratch.with { scratch in
                let provider = FileProvider(kind: .fileThin, runner: self.runner)
                let pool = self.pool(scratch, .fileThin)
                let device = try #require(try await provider.create(self.id, sizeKiB: 4096, in: pool).devicePath)
                try DeviceBytes.write(self.pattern, to: device)
                try await provider.createSnapshot("Snap1", of: self.id, in: pool)
                try await provider.delete(self.id, in: pool)
                #expect(try await provider.inventory(of: pool).isEmpty)
                #expect(try await provider.snapshots(in: pool) == ["SharedData_00000": ["Snap1"]])

                let copy = try await provider.restore(self.id, from: "Snap1", of: self.id, sizeKiB: 4096, in: pool)
                #expect(try DeviceBytes.read(from: try #require(copy.devicePath)) == self.pattern)
                try await provider.delete(self.id, in: pool)
            }
        }

        @Test func missingVolumeOrSnapshotAndBadNamesAreRefused() async throws {
            try await Scratch.with { scratch in
                let provider = FileProvider(kind: .fileThin, runner: self.runner)
                let pool = self.pool(scratch, .fileThin)
                let noVolume = await #expect(throws: StorageError.self) {
                    try await provider.createSnapshot("Snap1", of: self.id, in: pool)
                }
                #expect(noVolume?.code == .volumeMissing)
                let noSnapshot = await #expect(throws: StorageError.self) {
                    try await provider.restore(self.restored, from: "Snap1", of: self.id, sizeKiB: 4096, in: pool)
                }
                #expect(noSnapshot?.code == .snapshotMissing)
                _ = try await provider.create(self.id, sizeKiB: 4096, in: pool)
                let noRollback = await #expect(throws: StorageError.self) {
                    try await provider.rollback(self.id, to: "Snap1", in: pool)
                }
                #expect(noRollback?.code == .snapshotMissing)
                for bad in ["../x", "a b", "1snap", "x", "snap.img", String(repeating: "s", count: 49)] {
                    let error = await #expect(throws: StorageError.self) {
                        try await provider.createSnapshot(bad, of: self.id, in: pool)
                    }
                    #expect(error?.code == .invalidName)
                }
                #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["SharedData_00000.img"])
                try await provider.delete(self.id, in: pool)
            }
        }
    }
}
