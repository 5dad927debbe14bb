import DepotModel
import Foundation
import Testing

@testable import DepotSatellite

extension HostStorageTests {
    /// LVM thick for real at the metadata level (TESTING.md): a PV on a loop device and a private
    /// `LVM_SYSTEM_DIR` whose `lvm.conf` turns activation off, because this kernel has no
    /// device-mapper. The commands run for real; no `/dev/<vg>/<lv>` node appears, so the provider
    /// runs in ``LVMProvider/DeviceHandling/metadataOnlyForTesting``.
    @Suite(
        "LVMProvider (thick) with real LVM metadata",
        .requiresRoot,
        .requiresLoopDevices,
        .requiresTool("losetup"),
        .requiresTool("lvm")
    )
    struct LVMProviderTests {
        let runner = SubprocessCommandRunner()
        let id = VolumeID(resourceName: "LocalData", volumeNumber: 0)
        let volumeGroup = "depotsat\(UInt16.random(in: 0...UInt16.max))"

        static let lvmConf = """
            global { activation = 0 }
            devices { filter = [ "a|^/dev/loop|", "r|.*|" ] obtain_device_list_from_udev = 0 }
            backup { backup = 0 archive = 0 }
            """

        /// Runs `body` with a 64 MiB VG on a loop device; removes VG, PV, loop device and files after.
        func withVolumeGroup(_ body: (LVMProvider, PoolConfig) async throws -> Void) async throws {
            let volumeGroup = self.volumeGroup
            let runner = self.runner
            let removeVolumeGroup: @Sendable (Scratch) async -> Void = { scratch in
                let environment = ["LVM_SYSTEM_DIR": scratch.file("lvm"), "LVM_SUPPRESS_FD_WARNINGS": "1"]
                _ = try? await runner.run(Command("vgremove", ["--force", volumeGroup], environment: environment))
                for device in await scratch.loopDevices() {
                    _ = try? await runner.run(Command("pvremove", ["--force", device], environment: environment))
                }
            }
            try await Scratch.with(cleanup: removeVolumeGroup) { scratch in
                let configDirectory = scratch.file("lvm")
                try FileManager.default.createDirectory(atPath: configDirectory, withIntermediateDirectories: false)
                try Self.lvmConf.write(toFile: "\(configDirectory)/lvm.conf", atomically: true, encoding: .utf8)
                let environment = ["LVM_SYSTEM_DIR": configDirectory, "LVM_SUPPRESS_FD_WARNINGS": "1"]
                let device = try await scratch.attachedImage("pv.img", bytes: 64 << 20)
                try await self.runner.runChecked(Command("pvcreate", [device], environment: environment))
                try await self.runner.runChecked(Command("vgcreate", [volumeGroup, device], environment: environment))

                let provider = LVMProvider(
                    kind: .lvm,
                    runner: self.runner,
                    settings: LVMProvider.Settings(
                        systemDirectory: configDirectory,
                        deviceHandling: .metadataOnlyForTesting
                    )
                )
                try await body(provider, PoolConfig(name: "lvmpool", kind: .lvm, backingName: volumeGroup))
            }
        }

        @Test func createObserveResizeDelete() async throws {
            try await self.withVolumeGroup { provider, pool in
                // 64 MiB image minus LVM metadata: 15 extents of 4 MiB.
                #expect(try await provider.capacity(of: pool) == PoolCapacity(freeKiB: 61_440, totalKiB: 61_440))
                #expect(try await provider.volume(self.id, in: pool) == nil)

                // 10 MiB rounds up to three 4 MiB extents.
                let created = try await provider.create(self.id, sizeKiB: 10_240, in: pool)
                let expected = ProvidedVolume(
                    devicePath: "/dev/\(self.volumeGroup)/LocalData_00000",
                    allocatedKiB: 12_288,
                    usableKiB: 12_288
                )
                #expect(created == expected)
                #expect(try await provider.volume(self.id, in: pool) == expected)
                #expect(try await provider.create(self.id, sizeKiB: 10_240, in: pool) == expected)
                #expect(try await provider.capacity(of: pool) == PoolCapacity(freeKiB: 49_152, totalKiB: 61_440))

                let grown = try await provider.resize(self.id, sizeKiB: 20_000, in: pool)
                #expect(grown.usableKiB == 20_480)
                // Same size again: no lvresize (which would fail with "matches existing size").
                #expect(try await provider.resize(self.id, sizeKiB: 20_480, in: pool) == grown)
                let shrink = await #expect(throws: StorageError.self) {
                    try await provider.resize(self.id, sizeKiB: 4096, in: pool)
                }
                #expect(shrink?.code == .sizeMismatch)

                // Deactivating keeps the LV (here, metadata only: nothing was active), twice as well.
                try await provider.deactivate(self.id, in: pool)
                try await provider.deactivate(self.id, in: pool)
                #expect(try await provider.volume(self.id, in: pool)?.usableKiB == 20_480)

                try await provider.delete(self.id, in: pool)
                #expect(try await provider.volume(self.id, in: pool) == nil)
                try await provider.deactivate(self.id, in: pool)
                try await provider.delete(self.id, in: pool)
                #expect(try await provider.capacity(of: pool).freeKiB == 61_440)
            }
        }

        @Test func failuresCarryTheCommandLineExitCodeAndStderr() async throws {
            try await self.withVolumeGroup { provider, pool in
                let error = await #expect(throws: StorageError.self) {
                    try await provider.create(self.id, sizeKiB: 1_024_000, in: pool)
                }
                #expect(error?.code == .commandFailed)
                let command = try #require(error?.commandError)
                #expect(command.commandLine.hasPrefix("LVM_SUPPRESS_FD_WARNINGS=1 LVM_SYSTEM_DIR="))
                #expect(
                    command.commandLine.hasSuffix(
                        "lvcreate --size 1024000k --name LocalData_00000 --yes \(self.volumeGroup)"
                    )
                )
                #expect(command.exitCode == 5)
                #expect(command.stderrTail.contains("insufficient free space"))
                #expect(error?.description.contains("insufficient free space") == true)
            }
        }

        @Test func missingVolumeGroupIsAMissingPool() async throws {
            try await self.withVolumeGroup { provider, _ in
                let pool = PoolConfig(name: "nopool", kind: .lvm, backingName: "depot_no_such_vg")
                let capacity = await #expect(throws: StorageError.self) { try await provider.capacity(of: pool) }
                #expect(capacity?.code == .poolMissing)
                #expect(capacity?.message.contains("'depot_no_such_vg'") == true)
                let observe = await #expect(throws: StorageError.self) { try await provider.volume(self.id, in: pool) }
                #expect(observe?.code == .poolMissing)
            }
        }
    }
}
