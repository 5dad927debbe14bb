import DepotModel
import DepotTestSupport
import DepotWire
import Testing

@testable import DepotSatellite

@Suite("Pool configuration, volume names, sizes")
struct ProviderModelTests {
    @Test func poolConfigReadsLINSTORProperties() throws {
        let pool = DesiredStoragePool(
            name: "thinpool", providerKind: .lvmThin, backingName: "drbdpool/thinpool",
            props: ["StorDriver/StorPoolName": "drbdpool/thinpool", "StorDriver/WaitTimeoutAfterCreate": "1500"])
        let config = try PoolConfig(pool)
        #expect(config.backingName == "drbdpool/thinpool")
        #expect(config.kind == .lvmThin)
        #expect(config.waitTimeout == .milliseconds(1500))
        var withoutTimeout = pool
        withoutTimeout.props = ["StorDriver/StorPoolName": "drbdpool/thinpool"]
        #expect(try PoolConfig(withoutTimeout).waitTimeout == .seconds(5))
    }

    @Test func poolConfigRejectsMissingPoolNameAndBadTimeout() {
        var pool = DesiredStoragePool(name: "lvmpool", providerKind: .lvm, backingName: nil, props: [:])
        #expect(throws: StorageError.self) { try PoolConfig(pool) }
        pool.props = ["StorDriver/StorPoolName": "vg", "StorDriver/WaitTimeoutAfterCreate": "5s"]
        #expect(throws: StorageError.self) { try PoolConfig(pool) }
        pool.providerKind = .diskless
        pool.props = [:]
        #expect(throws: Never.self) { try PoolConfig(pool) }
    }

    @Test func volumeIDUsesLINSTORsBackingNames() throws {
        #expect(VolumeID(resourceName: "LocalData", volumeNumber: 0).backingName == "LocalData_00000")
        #expect(VolumeID(resourceName: "rsc1", volumeNumber: 12, suffix: ".meta").backingName == "rsc1.meta_00012")
        try VolumeID(resourceName: "rsc1", volumeNumber: 1).validate()
    }

    @Test(arguments: [
        VolumeID(resourceName: "../etc", volumeNumber: 0),
        VolumeID(resourceName: "-rf", volumeNumber: 0),
        VolumeID(resourceName: "a$(id)", volumeNumber: 0),
        VolumeID(resourceName: "rsc", volumeNumber: -1),
        VolumeID(resourceName: "rsc", volumeNumber: 0, suffix: "/x"),
    ])
    func unsafeVolumeNamesNeverReachACommand(id: VolumeID) async {
        let runner = RecordingCommandRunner()
        let providers = StorageProviders(runner: runner)
        for kind in ProviderKind.allCases {
            let pool = PoolConfig(
                name: "p",
                kind: kind,
                backingName: kind == .lvmThin ? "vg/tp" : kind.isThin || kind == .zfs ? "tank" : "/tmp"
            )
            let error = await #expect(throws: StorageError.self) {
                _ = try await providers.provider(for: kind).create(id, sizeKiB: 1024, in: pool)
            }
            #expect(error?.code == .invalidName)
        }
        #expect(runner.commands.isEmpty)
    }

    @Test func sizesRoundUpToTheGranularity() {
        #expect(SizeAlignment.roundUp(153_600, toMultipleOf: 4096) == 155_648)
        #expect(SizeAlignment.roundUp(4096, toMultipleOf: 4096) == 4096)
        #expect(SizeAlignment.roundUp(1, toMultipleOf: 8) == 8)
        #expect(SizeAlignment.roundUp(7, toMultipleOf: 1) == 7)
    }

    @Test func providersMatchTheirKinds() {
        let providers = StorageProviders(runner: RecordingCommandRunner())
        for kind in ProviderKind.allCases {
            #expect(providers.provider(for: kind).kind == kind)
        }
    }

    @Test func disklessDoesNothing() async throws {
        let provider = DisklessProvider()
        let pool = PoolConfig(name: "DfltDisklessStorPool", kind: .diskless, backingName: "")
        let id = VolumeID(resourceName: "LocalData", volumeNumber: 0)
        #expect(try await provider.capacity(of: pool) == .unlimited)
        #expect(try await provider.create(id, sizeKiB: 1024, in: pool).devicePath == nil)
        #expect(
            try await provider.volume(id, in: pool) == ProvidedVolume(devicePath: nil, allocatedKiB: 0, usableKiB: 0)
        )
        try await provider.delete(id, in: pool)
    }

    @Test func storageErrorDescriptionIncludesTheCommand() {
        let command = Command("lvcreate", ["--size", "10k", "vg"])
        let error = StorageError.command(
            "Creating LV vg/r_00000",
            CommandError(
                .nonZeroExit,
                command: command,
                exitCode: 5,
                stderr: "  Volume group \"vg\" has insufficient free space\n"
            )
        )
        #expect(
            error.description
                == "Creating LV vg/r_00000 failed. Command 'lvcreate --size 10k vg' failed with exit code 5. Standard error:\n  Volume group \"vg\" has insufficient free space"
        )
    }
}

@Suite("PoolConfig from the desired state")
struct DesiredPoolConfigTests {
    @Test func waitTimeoutAfterCreateIsApplied() throws {
        let pool = DesiredStoragePool(name: "p", providerKind: .fileThin, backingName: "/srv/p", props: ["StorDriver/WaitTimeoutAfterCreate": "250"])
        let config = try PoolConfig(pool)
        #expect(config.waitTimeout == .milliseconds(250))
        #expect(config.backingName == "/srv/p")
        #expect(try PoolConfig(DesiredStoragePool(name: "p", providerKind: .fileThin, backingName: "/srv/p", props: [:])).waitTimeout == .seconds(5))
    }

    @Test func aBadWaitTimeoutIsAnError() {
        let pool = DesiredStoragePool(name: "p", providerKind: .lvm, backingName: "vg", props: ["StorDriver/WaitTimeoutAfterCreate": "soon"])
        #expect(throws: StorageError.self) { try PoolConfig(pool) }
    }
}
