import DepotModel
import Foundation
import Testing

@testable import DepotSatellite

#if canImport(Glibc)
    import Glibc
#endif

extension HostStorageTests {
    /// FILE and FILE_THIN for real: image files, `losetup`, real loop devices.
    @Suite(
        "FileProvider on real loop devices",
        .requiresRoot,
        .requiresLoopDevices,
        .requiresTool("losetup"),
        .requiresTool("fallocate"),
        .requiresTool("truncate")
    )
    struct FileProviderTests {
        let runner = SubprocessCommandRunner()
        let id = VolumeID(resourceName: "LocalData", volumeNumber: 0)

        func provider(_ kind: ProviderKind) -> FileProvider {
            FileProvider(kind: kind, runner: self.runner)
        }

        func pool(_ scratch: Scratch, _ kind: ProviderKind) -> PoolConfig {
            PoolConfig(name: "filepool", kind: kind, backingName: scratch.path)
        }

        /// One `losetup --list` and one directory read describe the whole pool: attached images with
        /// their loop device (matched by inode, not name), a detached or grown one without.
        @Test func inventoryListsThePoolInOneLook() async throws {
            try await Scratch.with { scratch in
                let provider = self.provider(.fileThin)
                let pool = self.pool(scratch, .fileThin)
                let attached = try await provider.create(self.id, sizeKiB: 4096, in: pool)
                let grown = VolumeID(resourceName: "Grown", volumeNumber: 0)
                let grownDevice = try #require(try await provider.create(grown, sizeKiB: 4096, in: pool).devicePath)
                try FileHandle(forWritingAtPath: scratch.file("Grown_00000.img"))?.truncate(atOffset: 8192 * 1024)
                let detachedImage = scratch.file("Detached_00000.img")
                FileManager.default.createFile(atPath: detachedImage, contents: Data(count: 4096))
                FileManager.default.createFile(atPath: scratch.file("notes.txt"), contents: Data())

                let inventory = try await provider.inventory(of: pool)

                #expect(Set(inventory.keys) == ["LocalData_00000", "Grown_00000", "Detached_00000"])
                #expect(inventory["LocalData_00000"] == attached)
                #expect(inventory["Detached_00000"]?.devicePath == nil)
                #expect(inventory["Grown_00000"]?.devicePath == nil, "a loop device smaller than its image is not ready")
                let completed = try await provider.create(grown, sizeKiB: 8192, in: pool)
                #expect(completed.devicePath == grownDevice)
                #expect(try await provider.inventory(of: pool)["Grown_00000"]?.devicePath == grownDevice)
            }
        }

        @Test(arguments: [ProviderKind.file, .fileThin])
        func createObserveResizeDelete(kind: ProviderKind) async throws {
            try await Scratch.with { scratch in
                let provider = self.provider(kind)
                let pool = self.pool(scratch, kind)
                let image = scratch.file("LocalData_00000.img")
                #expect(provider.imagePath(of: self.id, in: pool) == image)
                #expect(try await provider.volume(self.id, in: pool) == nil)

                // 150m as in the article, plus 1 KiB to see the 4 KiB rounding.
                let created = try await provider.create(self.id, sizeKiB: 153_601, in: pool)
                let device = try #require(created.devicePath)
                #expect(device.hasPrefix("/dev/loop"))
                #expect(created.usableKiB == 153_604)
                #expect(SystemBlockDevices().sizeOfBlockDevice(at: device) == Int64(153_604 * 1024))
                #expect(await scratch.loopDevices() == [device])
                let permissions = try FileManager.default.attributesOfItem(atPath: image)[.posixPermissions] as? Int
                #expect(permissions == 0o600, "volume data is readable by root only")
                let status = try #require(try LocalFileSystem.status(of: image))
                #expect(status.sizeBytes == 153_604 * 1024)
                if kind == .file {
                    #expect(created.allocatedKiB >= 153_604)
                } else {
                    #expect(created.allocatedKiB < 1024, "a FILE_THIN image is sparse")
                }

                #expect(try await provider.volume(self.id, in: pool) == created)
                // Idempotent: the same volume and the same loop device, no second attachment.
                #expect(try await provider.create(self.id, sizeKiB: 153_601, in: pool) == created)
                #expect(await scratch.loopDevices() == [device])

                let grown = try await provider.resize(self.id, sizeKiB: 204_800, in: pool)
                #expect(grown.devicePath == device)
                #expect(grown.usableKiB == 204_800)
                #expect(SystemBlockDevices().sizeOfBlockDevice(at: device) == Int64(204_800 * 1024))
                #expect(try await provider.resize(self.id, sizeKiB: 204_800, in: pool) == grown)

                try await provider.delete(self.id, in: pool)
                #expect(await scratch.loopDevices().isEmpty)
                #expect(!FileManager.default.fileExists(atPath: image))
                #expect(try await provider.volume(self.id, in: pool) == nil)
                // Deleting what is gone is fine.
                try await provider.delete(self.id, in: pool)
            }
        }

        @Test func createReattachesAnImageWhoseLoopDeviceIsGone() async throws {
            try await Scratch.with { scratch in
                let provider = self.provider(.fileThin)
                let pool = self.pool(scratch, .fileThin)
                let first = try await provider.create(self.id, sizeKiB: 4096, in: pool)
                // As after a reboot: the image is there, the loop device is not.
                try await self.runner.runChecked(Command("losetup", ["--detach", try #require(first.devicePath)]))
                let detached = try #require(try await provider.volume(self.id, in: pool))
                #expect(detached.devicePath == nil)
                #expect(detached.usableKiB == 4096)

                let again = try await provider.create(self.id, sizeKiB: 4096, in: pool)
                #expect(again.devicePath != nil)
                #expect(await scratch.loopDevices().count == 1)
                try await provider.delete(self.id, in: pool)
            }
        }

        @Test func createGrowsAShortImageAndRefusesToShrink() async throws {
            try await Scratch.with { scratch in
                let provider = self.provider(.file)
                let pool = self.pool(scratch, .file)
                _ = try await provider.create(self.id, sizeKiB: 8192, in: pool)
                let bigger = try await provider.create(self.id, sizeKiB: 12288, in: pool)
                #expect(bigger.usableKiB == 12288)
                #expect(
                    SystemBlockDevices().sizeOfBlockDevice(at: try #require(bigger.devicePath)) == Int64(12288 * 1024)
                )

                let error = await #expect(throws: StorageError.self) {
                    try await provider.create(self.id, sizeKiB: 4096, in: pool)
                }
                #expect(error?.code == .sizeMismatch)
                let shrink = await #expect(throws: StorageError.self) {
                    try await provider.resize(self.id, sizeKiB: 4096, in: pool)
                }
                #expect(shrink?.code == .sizeMismatch)
                #expect(shrink?.description.contains("never shrunk") == true)
                try await provider.delete(self.id, in: pool)
            }
        }

        @Test func deleteRefusesWhileTheDeviceIsHeldAndLeavesEverythingInPlace() async throws {
            try await Scratch.with { scratch in
                let provider = self.provider(.fileThin)
                let pool = self.pool(scratch, .fileThin)
                let device = try #require(try await provider.create(self.id, sizeKiB: 4096, in: pool).devicePath)
                // An exclusive open is what a mount or a DRBD attach holds.
                let holder = open(device, O_RDONLY | O_EXCL)
                try #require(holder >= 0)
                let error = await #expect(throws: StorageError.self) { try await provider.delete(self.id, in: pool) }
                close(holder)
                #expect(error?.code == .volumeInUse)
                #expect(error?.message.contains(device) == true)
                #expect(await scratch.loopDevices() == [device])
                #expect(FileManager.default.fileExists(atPath: provider.imagePath(of: self.id, in: pool)))

                try await provider.delete(self.id, in: pool)
                #expect(await scratch.loopDevices().isEmpty)
            }
        }

        /// udev's probe or drbdmeta may have the device open (not exclusively) at the moment of the
        /// detach: the kernel detaches it once they let go, and the delete waits for that.
        @Test func deleteWaitsForAPassingOpenerToLetGo() async throws {
            try await Scratch.with { scratch in
                let provider = self.provider(.fileThin)
                let pool = self.pool(scratch, .fileThin)
                let device = try #require(try await provider.create(self.id, sizeKiB: 4096, in: pool).devicePath)
                let looker = open(device, O_RDONLY)
                try #require(looker >= 0)
                async let deleted: Void = provider.delete(self.id, in: pool)
                try await Task.sleep(for: .milliseconds(500))
                #expect(FileManager.default.fileExists(atPath: provider.imagePath(of: self.id, in: pool)), "not removed while still attached")
                close(looker)
                try await deleted
                #expect(await scratch.loopDevices().isEmpty)
                #expect(!FileManager.default.fileExists(atPath: provider.imagePath(of: self.id, in: pool)))
            }
        }

        /// Deactivating detaches the image and keeps it; create attaches it again with its data.
        @Test func deactivateDetachesAndKeepsTheImage() async throws {
            try await Scratch.with { scratch in
                let provider = self.provider(.fileThin)
                let pool = self.pool(scratch, .fileThin)
                let device = try #require(try await provider.create(self.id, sizeKiB: 4096, in: pool).devicePath)
                let handle = try #require(FileHandle(forWritingAtPath: device))
                handle.write(Data("kept".utf8))
                try handle.synchronize()
                try handle.close()
                try await provider.deactivate(self.id, in: pool)
                try await provider.deactivate(self.id, in: pool)
                #expect(await scratch.loopDevices().isEmpty)
                let image = provider.imagePath(of: self.id, in: pool)
                #expect(try Data(contentsOf: URL(fileURLWithPath: image)).prefix(4) == Data("kept".utf8))
                #expect(try await provider.volume(self.id, in: pool)?.devicePath == nil)
                let back = try await provider.create(self.id, sizeKiB: 4096, in: pool)
                #expect(back.devicePath != nil)
                try await provider.delete(self.id, in: pool)
            }
        }

        @Test func missingDirectoryIsAMissingPool() async throws {
            let provider = self.provider(.file)
            let pool = PoolConfig(name: "gone", kind: .file, backingName: "/tmp/depot-no-such-pool-dir")
            for operation in 0..<3 {
                let error = await #expect(throws: StorageError.self) {
                    switch operation {
                    case 0: _ = try await provider.capacity(of: pool)
                    case 1: _ = try await provider.create(self.id, sizeKiB: 4096, in: pool)
                    default: try await provider.delete(self.id, in: pool)
                    }
                }
                #expect(error?.code == .poolMissing)
                #expect(error?.message.contains("/tmp/depot-no-such-pool-dir") == true)
            }
        }

        @Test func capacityIsTheFileSystemsSpace() async throws {
            try await Scratch.with { scratch in
                let capacity = try await self.provider(.fileThin).capacity(of: self.pool(scratch, .fileThin))
                var info = statvfs()
                #expect(statvfs(scratch.path, &info) == 0)
                #expect(capacity.totalKiB == Int64(info.f_blocks) * Int64(info.f_frsize) / 1024)
                #expect(capacity.freeKiB > 0)
                #expect(capacity.freeKiB <= capacity.totalKiB)
            }
        }

        @Test func failedAllocationLeavesNoFileBehind() async throws {
            try await Scratch.with { scratch in
                let provider = self.provider(.file)
                let pool = self.pool(scratch, .file)
                // Far more than the file system holds: fallocate fails with ENOSPC or EFBIG.
                let error = await #expect(throws: StorageError.self) {
                    try await provider.create(self.id, sizeKiB: 1 << 40, in: pool)
                }
                #expect(error?.code == .commandFailed)
                #expect(error?.commandError?.commandLine.hasPrefix("fallocate --length") == true)
                #expect(error?.commandError?.stderrTail.isEmpty == false)
                #expect(!FileManager.default.fileExists(atPath: provider.imagePath(of: self.id, in: pool)))
                #expect(await scratch.loopDevices().isEmpty)
            }
        }
    }
}
