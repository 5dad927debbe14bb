import DepotModel
import DepotWire
import Foundation
import Logging
import Testing

@testable import DepotSatellite

extension HostStorageTests {
    /// A restore or clone into another pool than the snapshot's, for real: image files on real loop
    /// devices, `dd`, and the real `drbdmeta` moving DRBD's internal metadata to the end of a
    /// volume that came out larger than the snapshot.
    @Suite(
        "Snapshot copies into other pools on real loop devices",
        .requiresRoot,
        .requiresLoopDevices,
        .requiresTool("losetup"),
        .requiresTool("dd"),
        .requiresTool("drbdmeta")
    )
    struct SnapshotCopyTests {
        let runner = SubprocessCommandRunner()
        let source = VolumeID(resourceName: "SharedData", volumeNumber: 0)
        let pattern = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 * 13 + 5) })
        /// A minor no test cluster uses; its `.lkbd` file is removed after the test.
        let minor = 61_234

        func pools(_ scratch: Scratch) throws -> [DesiredStoragePool] {
            for name in ["thin", "thick"] { try FileManager.default.createDirectory(atPath: scratch.file(name), withIntermediateDirectories: true) }
            return [
                DesiredStoragePool(name: "thinfiles", providerKind: .fileThin, backingName: scratch.file("thin"), props: [:]),
                DesiredStoragePool(name: "thickfiles", providerKind: .file, backingName: scratch.file("thick"), props: [:]),
            ]
        }

        func drbdmeta(_ device: String, _ arguments: [String]) async throws -> CommandResult {
            try await self.runner.run(Command("drbdmeta", ["--force", String(self.minor), "v09", device, "internal"] + arguments))
        }

        /// A FILE_THIN snapshot with DRBD metadata, restored into a FILE pool as a volume 8 MiB
        /// larger (as a pool with coarser sizes makes it): the data is there, the metadata was moved
        /// to the new end with its generation identifiers, and the copy is no longer pending.
        @Test func aCopyIntoAnotherPoolCarriesDataAndMovesDRBDMetadataToTheEnd() async throws {
            defer { try? FileManager.default.removeItem(atPath: "\(DRBDMetadataRelocation.stateDirectory)/drbd-minor-\(self.minor).lkbd") }
            try await Scratch.with { scratch in
                let pools = try self.pools(scratch)
                let providers = StorageProviders(runner: self.runner)
                let thin = PoolConfig(name: "thinfiles", kind: .fileThin, backingName: scratch.file("thin"))
                let sourceKiB: Int64 = 64 * 1024
                let sourceDevice = try #require(try await providers.provider(for: .fileThin).create(self.source, sizeKiB: sourceKiB, in: thin).devicePath)
                try DeviceBytes.write(self.pattern, to: sourceDevice)
                #expect(try await self.drbdmeta(sourceDevice, ["create-md", "3"]).exitCode == 0)
                let identifiers = try await self.drbdmeta(sourceDevice, ["get-gi", "--node-id", "1"]).stdout
                try await providers.provider(for: .fileThin).createSnapshot("Snap1", of: self.source, in: thin)

                let state = scratch.file("state")
                try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
                let layer = StorageLayer(providers: providers, stateDirectory: state, logger: Logger(label: "test"))
                var volume = DesiredVolume(
                    number: 0, storagePool: "thickfiles", sizeKiB: sourceKiB, storageSizeKiB: sourceKiB + 8 * 1024,
                    drbd: DesiredDRBDVolume(minor: self.minor, initialGenerationID: nil, initialSource: false, skipInitialSync: false))
                volume.restore = DesiredRestore(resource: "SharedData", snapshot: "Snap1", sourcePool: "thinfiles")
                let copy = DesiredResource(name: "Copy", layers: [.drbd, .storage], flags: [], volumes: [volume])
                await layer.prepare(DesiredNodeState(version: 1, nodeName: "alpha", storagePools: pools, resources: [copy]), fullPass: true)
                let devices = try await layer.apply(copy, below: [:])

                let device = try #require(devices[0]?.path)
                #expect(devices[0]?.usableKiB == sourceKiB + 8 * 1024)
                #expect(try DeviceBytes.read(from: device) == self.pattern)
                let dump = try await self.drbdmeta(device, ["dump-md"])
                #expect(!dump.stdout.contains("resized"), "the metadata is where DRBD looks for it")
                #expect(dump.stdout.contains("# md_offset \((sourceKiB + 8 * 1024) * 1024 - 4096)"))
                #expect(try await self.drbdmeta(device, ["get-gi", "--node-id", "1"]).stdout == identifiers)
                #expect(FileManager.default.contents(atPath: state + "/copies.json").map { String(decoding: $0, as: UTF8.self) } == "[]")

                // Applied again (a later pass), the copy is complete and nothing is copied over it.
                try DeviceBytes.write(Data(repeating: 0xEE, count: 4096), to: device)
                await layer.prepare(DesiredNodeState(version: 2, nodeName: "alpha", storagePools: pools, resources: [copy]), fullPass: true)
                _ = try await layer.apply(copy, below: [:])
                #expect(try DeviceBytes.read(from: device) == Data(repeating: 0xEE, count: 4096))
            }
        }

        /// A copy the satellite did not finish (killed mid-way) is made again on the next apply,
        /// not taken for a complete volume.
        @Test func anUnfinishedCopyIsMadeAgain() async throws {
            try await Scratch.with { scratch in
                let pools = try self.pools(scratch)
                let providers = StorageProviders(runner: self.runner)
                let thin = PoolConfig(name: "thinfiles", kind: .fileThin, backingName: scratch.file("thin"))
                let sourceDevice = try #require(try await providers.provider(for: .fileThin).create(self.source, sizeKiB: 4096, in: thin).devicePath)
                try DeviceBytes.write(self.pattern, to: sourceDevice)
                try await providers.provider(for: .fileThin).createSnapshot("Snap1", of: self.source, in: thin)
                // The volume exists, empty, and the ledger says its copy had started.
                let thick = PoolConfig(name: "thickfiles", kind: .file, backingName: scratch.file("thick"))
                _ = try await providers.provider(for: .file).create(VolumeID(resourceName: "Copy", volumeNumber: 0), sizeKiB: 4096, in: thick)
                let state = scratch.file("state")
                try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
                try Data(#"["THICKFILES/Copy_00000"]"#.utf8).write(to: URL(fileURLWithPath: state + "/copies.json"))

                let layer = StorageLayer(providers: providers, stateDirectory: state, logger: Logger(label: "test"))
                var volume = DesiredVolume(number: 0, storagePool: "thickfiles", sizeKiB: 4096, storageSizeKiB: 4096)
                volume.restore = DesiredRestore(resource: "SharedData", snapshot: "Snap1", sourcePool: "thinfiles")
                let copy = DesiredResource(name: "Copy", layers: [.storage], flags: [], volumes: [volume])
                await layer.prepare(DesiredNodeState(version: 1, nodeName: "alpha", storagePools: pools, resources: [copy]), fullPass: true)
                let device = try #require(try await layer.apply(copy, below: [:])[0]?.path)
                #expect(try DeviceBytes.read(from: device) == self.pattern)
            }
        }
    }
}
