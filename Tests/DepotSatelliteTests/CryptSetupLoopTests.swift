import DepotModel
import DepotWire
import Foundation
import Testing

@testable import DepotSatellite

extension HostStorageTests {
    /// The LUKS layer's cryptsetup calls for real on a loop device: format, key slots, the header's
    /// magic as the layer reads it. Opening needs device-mapper (the kernel tier does that).
    @Suite("cryptsetup on a real loop device", .requiresRoot, .requiresLoopDevices, .requiresTool("losetup"), .requiresTool("cryptsetup"))
    struct CryptSetupLoopTests {
        let runner = SubprocessCommandRunner()
        let options = ["--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000"]

        @Test func formatTestAndChangeTheKeySlot() async throws {
            try await Scratch.with { scratch in
                let pool = PoolConfig(name: "files", kind: .file, backingName: scratch.path)
                let volume = VolumeID(resourceName: "Secret", volumeNumber: 0)
                let providers = StorageProviders(runner: self.runner)
                let device = try #require(try await providers.provider(for: .file).create(volume, sizeKiB: 32 * 1024, in: pool).devicePath)
                let cryptsetup = CryptSetup(runner: self.runner)
                let crypt = SystemCryptDevices()
                #expect(crypt.hasLUKSHeader(at: device) == false)

                try await cryptsetup.format(device, passphrase: VolumeSecret("first"), options: self.options)
                #expect(crypt.hasLUKSHeader(at: device) == true)
                #expect(try await cryptsetup.takes(device, passphrase: VolumeSecret("first")))
                #expect(try await cryptsetup.takes(device, passphrase: VolumeSecret("wrong")) == false)

                try await cryptsetup.changeKey(device, from: VolumeSecret("first"), to: VolumeSecret("second one"), options: self.options)
                #expect(try await cryptsetup.takes(device, passphrase: VolumeSecret("second one")))
                #expect(try await cryptsetup.takes(device, passphrase: VolumeSecret("first")) == false)
                let dump = try await self.runner.runChecked(Command("cryptsetup", ["luksDump", device])).stdout
                #expect(dump.contains("Version:       \t2"))
                #expect(dump.contains("offset: 16777216 [bytes]"), "the 16 MiB header LayerSizes counts")
                try await providers.provider(for: .file).delete(volume, in: pool)
            }
        }
    }
}
