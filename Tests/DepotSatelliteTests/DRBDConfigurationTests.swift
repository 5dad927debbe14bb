import DepotModel
import DepotWire
import Foundation
import Logging
import Testing

@testable import DepotSatellite

extension HostStorageTests {
    /// Generated `.res` files checked by the real drbdadm, metadata written and read by the real
    /// drbdmeta on loop devices. Nothing here needs the DRBD kernel module.
    @Suite("DRBD configuration with the real drbdadm and drbdmeta", .requiresRoot, .requiresLoopDevices, .requiresTool("drbdadm"), .requiresTool("drbdmeta"))
    struct DRBDConfigurationTests {
        static let runner = SubprocessCommandRunner()

        static func desired(options: [String: String] = [:], address: String = "127.0.0.1") -> DesiredDRBDResource {
            DesiredDRBDResource(
                nodeID: 0, peerSlots: 7, alStripes: 1, alStripeSizeKiB: 32, secret: "Zm9vYmFy", address: address, port: 7000, options: options,
                peers: [
                    DesiredDRBDPeer(nodeName: "beta", hostName: "beta", nodeID: 1, address: "127.0.0.3", port: 7001, diskless: false, tieBreaker: false),
                    DesiredDRBDPeer(nodeName: "gamma", hostName: "gamma", nodeID: 2, address: "127.0.0.4", port: 7000, diskless: true, tieBreaker: true),
                ], diskless: false, tieBreaker: false)
        }

        static func layer(_ scratch: Scratch, drbdsetup: String? = nil) -> DRBDLayer {
            DRBDLayer(
                settings: DRBDSettings(configDirectory: scratch.file("drbd.d"), drbdsetup: drbdsetup, hostname: "alpha"), runner: Self.runner,
                monitor: nil, logger: Logger(label: "test"))
        }

        static func file(_ drbd: DesiredDRBDResource, disk: String?, volumeOptions: [String: String] = [:]) -> DRBDResourceFile {
            DRBDResourceFile(
                name: "shared", drbd: drbd, hostname: "alpha", volumes: [(number: 0, minor: 1000, disk: disk, options: volumeOptions)], header: "test")
        }

        /// Validates `text` with the real drbdadm, installs it and returns what `drbdadm -d adjust` would run.
        static func validateAndPlan(_ text: String, _ layer: DRBDLayer) async throws -> CommandResult {
            let settings = layer.settings
            try FileManager.default.createDirectory(atPath: settings.configDirectory, withIntermediateDirectories: true)
            try settings.mainConfig.write(toFile: settings.mainConfigPath, atomically: true, encoding: .utf8)
            try text.write(toFile: settings.candidateFilePath("shared"), atomically: true, encoding: .utf8)
            try await layer.tools.validate(candidate: settings.candidateFilePath("shared"), replacing: settings.resourceFilePath("shared"))
            try text.write(toFile: settings.resourceFilePath("shared"), atomically: true, encoding: .utf8)
            return try await Self.runner.runChecked(
                Command("drbdadm", ["-c", settings.mainConfigPath, "-d", "adjust", "shared"], environment: ["__DRBD_NODE__": "alpha"]))
        }

        @Test("a generated file passes drbdadm, and -d adjust plans the expected drbdsetup calls")
        func validFile() async throws {
            try await Scratch.with { scratch in
                let layer = Self.layer(scratch)
                let drbd = Self.desired(options: [
                    "DrbdOptions/Net/max-buffers": "8000", "DrbdOptions/Resource/quorum": "majority",
                    "DrbdOptions/Resource/on-no-quorum": "io-error", "DrbdOptions/Disk/c-max-rate": "200M",
                ])
                let text = try Self.file(drbd, disk: "/dev/loop100", volumeOptions: ["DrbdOptions/Disk/disk-flushes": "no"]).render()
                #expect(text.contains("on \"alpha\" {"))
                #expect(text.contains("disk /dev/loop100;"))
                #expect(text.contains("host \"beta\" address ipv4 127.0.0.3:7001;"))
                #expect(text.contains("host \"alpha\" address ipv4 127.0.0.1:7000;"))
                #expect(text.contains("max-buffers 8000;"))
                #expect(text.contains("quorum majority;"))
                let plan = try await Self.validateAndPlan(text, layer)
                #expect(plan.stdout.contains("new-resource shared 0"))
                #expect(plan.stdout.contains("new-minor shared 1000 0"))
                #expect(plan.stdout.contains("attach 1000 /dev/loop100"))
                #expect(plan.stdout.split(separator: "\n").contains { $0.contains("attach 1000") && $0.contains("--disk-flushes=no") }, "the volume's own disk option")
                #expect(plan.stdout.contains("new-peer shared 1"))
                #expect(plan.stdout.contains("new-path shared 1 ipv4:127.0.0.1:7000 ipv4:127.0.0.3:7001"))
                #expect(plan.stdout.contains("new-peer shared 2"))
            }
        }

        @Test("connection options and explicit paths go into the peer's connection, each side on its own port")
        func connectionSettings() async throws {
            try await Scratch.with { scratch in
                let layer = Self.layer(scratch)
                var drbd = Self.desired()
                drbd.peers[0].options = ["DrbdOptions/Net/protocol": "A", "DrbdOptions/PeerDevice/c-max-rate": "100M"]
                drbd.peers[0].paths = [
                    DesiredDRBDPath(localAddress: "127.0.0.1", peerAddress: "127.0.0.3"),
                    DesiredDRBDPath(localAddress: "::1", peerAddress: "::ffff:127.0.0.3"),
                ]
                let text = try Self.file(drbd, disk: "/dev/loop100").render()
                #expect(text.contains("        net {\n            protocol A;\n        }"))
                #expect(text.contains("            host \"alpha\" address ipv6 [::1]:7000;"))
                let plan = try await Self.validateAndPlan(text, layer)
                let lines = plan.stdout.split(separator: "\n").map(String.init)
                #expect(lines.contains { $0.contains("new-peer shared 1") && $0.contains("--protocol=A") })
                #expect(!lines.contains { $0.contains("new-peer shared 2") && $0.contains("--protocol=A") }, "only beta's connection")
                #expect(lines.contains { $0.hasSuffix("new-path shared 1 ipv4:127.0.0.1:7000 ipv4:127.0.0.3:7001") })
                #expect(lines.contains { $0.hasSuffix(#"new-path shared 1 ipv6:\[::1\]:7000 ipv6:\[::ffff:127.0.0.3\]:7001"#) }, "-d quotes brackets as a shell would")
                #expect(lines.contains { $0.contains("peer-device-options shared 1 0") && $0.contains("--c-max-rate=100M") })
            }
        }

        @Test("an option drbdadm rejects never goes live, and the reason names the option")
        func rejectedOption() async throws {
            let removeLocks: @Sendable (Scratch) async -> Void = { _ in Self.removeDRBDLocks(minors: [1000]) }
            try await Scratch.with(cleanup: removeLocks) { scratch in
                let layer = Self.layer(scratch)
                let resource = DesiredResource(
                    name: "shared", layers: [.drbd, .storage], flags: [],
                    volumes: [
                        DesiredVolume(
                            number: 0, storagePool: "pool", sizeKiB: 1024, storageSizeKiB: 1200,
                            drbd: DesiredDRBDVolume(minor: 1000, initialGenerationID: nil, initialSource: false, skipInitialSync: false))
                    ],
                    drbd: Self.desired(options: ["DrbdOptions/Net/max-buffers": "banana"]))
                let device = try await scratch.attachedImage("disk.img", bytes: 8 << 20)
                await #expect(throws: DRBDError.self) {
                    try await layer.apply(resource, resource.drbd!, devices: [0: device], backingKiB: [0: 8192])
                }
                do {
                    try await layer.apply(resource, resource.drbd!, devices: [0: device], backingKiB: [0: 8192])
                } catch let error as DRBDError {
                    #expect(error.code == .invalidConfiguration)
                    #expect(error.commandError?.stderrTail.contains("max-buffers") == true)
                }
                #expect(!FileManager.default.fileExists(atPath: layer.settings.resourceFilePath("shared")))
                #expect(!FileManager.default.fileExists(atPath: layer.settings.candidateFilePath("shared")))
                await #expect(throws: DRBDError.self) {
                    _ = try Self.file(Self.desired(options: ["DrbdOptions/Handlers/split-brain": "x\"; }"]), disk: device).render()
                }
            }
        }

        @Test("metadata is created once; the initial source gets day 0 in every peer slot; existing metadata is kept")
        func metadata() async throws {
            let removeLocks: @Sendable (Scratch) async -> Void = { _ in Self.removeDRBDLocks(minors: [1000, 1001]) }
            try await Scratch.with(cleanup: removeLocks) { scratch in
                let layer = Self.layer(scratch)
                let tools = layer.tools
                let source = try await scratch.attachedImage("source.img", bytes: 16 << 20)
                let thinPeer = try await scratch.attachedImage("peer.img", bytes: 16 << 20)
                let day0 = "1234567890ABCDE0"
                #expect(try await tools.generationIdentifiers(minor: 1000, device: source, nodeID: 0) == nil)
                try await layer.prepareMetadata(
                    "shared", volume: DesiredDRBDVolume(minor: 1000, initialGenerationID: day0, initialSource: true, skipInitialSync: false), device: source, drbd: Self.desired())
                let written = try #require(try await tools.generationIdentifiers(minor: 1000, device: source, nodeID: 1))
                #expect(written.bitmap == day0)
                #expect(written.current != GenerationIdentifiers.justCreated)
                #expect(Array(written.flags.prefix(2)) == ["1", "1"])
                // A second pass (a restarted satellite) leaves the data's generation alone.
                try await layer.prepareMetadata(
                    "shared", volume: DesiredDRBDVolume(minor: 1000, initialGenerationID: day0, initialSource: true, skipInitialSync: false), device: source, drbd: Self.desired())
                #expect(try await tools.generationIdentifiers(minor: 1000, device: source, nodeID: 1) == written)

                try await layer.prepareMetadata(
                    "shared", volume: DesiredDRBDVolume(minor: 1001, initialGenerationID: day0, initialSource: false, skipInitialSync: true), device: thinPeer, drbd: Self.desired()
                )
                let peer = try #require(try await tools.generationIdentifiers(minor: 1001, device: thinPeer, nodeID: 0))
                #expect(peer.current == day0)
                #expect(Array(peer.flags.prefix(2)) == ["1", "1"])
            }
        }

        @Test("unreadable metadata stops the layer instead of being overwritten")
        func unreadableMetadata() async throws {
            let removeLocks: @Sendable (Scratch) async -> Void = { _ in Self.removeDRBDLocks(minors: [1002]) }
            try await Scratch.with(cleanup: removeLocks) { scratch in
                let tools = Self.layer(scratch).tools
                await #expect(throws: DRBDError.self) {
                    _ = try await tools.generationIdentifiers(minor: 1002, device: scratch.file("missing-device"), nodeID: 0)
                }
            }
        }

        /// drbdmeta leaves lock files behind (TESTING.md).
        static func removeDRBDLocks(minors: [Int]) {
            for minor in minors {
                try? FileManager.default.removeItem(atPath: "/var/lib/drbd/drbd-minor-\(minor).lkbd")
                let locks = (try? FileManager.default.contentsOfDirectory(atPath: "/run/lock")) ?? []
                for lock in locks where lock.hasPrefix("drbd-") && lock.hasSuffix("-\(minor)") {
                    try? FileManager.default.removeItem(atPath: "/run/lock/" + lock)
                }
            }
        }
    }
}
