import DepotModel
import DepotTestSupport
import Foundation
import Testing

@testable import DepotSatellite

/// A node described by its files and installed programs.
struct FakeProbeSystem: ProbeSystem {
    var files: [String: String] = [:]
    var directories: Set<String> = []
    var executables: Set<String> = []

    func readFile(_ path: String) -> String? { self.files[path] }
    func fileExists(_ path: String) -> Bool { self.files[path] != nil || self.directories.contains(path) }
    func findExecutable(_ name: String) -> String? { self.executables.contains(name) ? "/usr/sbin/\(name)" : nil }

    static let allTools: Set<String> = [
        "losetup", "fallocate", "truncate", "lvm", "lvcreate", "wipefs", "thin_check", "zfs", "cryptsetup",
        "drbdadm", "drbdsetup", "drbdmeta",
    ]

    /// A storage node with every tool, device-mapper, dm-thin-pool, dm-crypt, ZFS and DRBD 9.2.8 loaded.
    static var complete: FakeProbeSystem {
        FakeProbeSystem(
            files: [
                "/proc/sys/kernel/osrelease": "6.1.0-28-amd64\n",
                "/proc/drbd":
                    "version: 9.2.8 (api:2/proto:86-122)\nGIT-hash: e163b05a76254c0f51f999970e861d72bb16409a build by @buildd, 2024-03-01 12:00:00\nTransports (api:20): tcp (9.2.8)\n",
                "/proc/filesystems": "nodev\tsysfs\n\text4\n\tzfs\n",
                "/proc/devices":
                    "Character devices:\n  1 mem\n\nBlock devices:\n  7 loop\n147 drbd\n253 device-mapper\n",
                "/proc/misc": "236 device-mapper\n237 loop-control\n",
            ],
            directories: [
                "/sys/module/loop", "/sys/module/dm_mod", "/sys/module/dm_thin_pool", "/sys/module/dm_crypt",
                "/sys/module/zfs", "/sys/module/drbd",
            ],
            executables: Self.allTools
        )
    }

    /// This kind of CI machine, as TESTING.md describes it: tools installed, loop only in the kernel.
    static var ciMachine: FakeProbeSystem {
        FakeProbeSystem(
            files: [
                "/proc/sys/kernel/osrelease": "6.18.44-fc-v657\n",
                "/proc/filesystems": "nodev\tsysfs\n\text4\n\txfs\n\tbtrfs\n",
                "/proc/devices": "Character devices:\n  1 mem\n\nBlock devices:\n  7 loop\n253 zram\n",
                "/proc/misc": "237 loop-control\n",
            ],
            directories: ["/sys/module/loop"],
            executables: Self.allTools.subtracting(["zfs"])
        )
    }
}

@Suite("CapabilityProbe")
struct CapabilityProbeTests {
    func drbdadm(_ fixture: String) throws -> RecordingCommandRunner {
        let runner = RecordingCommandRunner()
        runner.on(["drbdadm", "--version"], reply: .ok(try Fixture.text(fixture)))
        return runner
    }

    @Test func completeNodeSupportsEverything() async throws {
        let runner = RecordingCommandRunner()
        runner.on(
            ["drbdadm", "--version"],
            reply: .ok(
                "DRBD_KERNEL_VERSION_CODE=0x090208\nDRBD_KERNEL_VERSION=9.2.8\nDRBDADM_VERSION_CODE=0x091600\nDRBDADM_VERSION=9.22.0\n"
            )
        )
        let capabilities = await CapabilityProbe(system: FakeProbeSystem.complete, runner: runner).probe()
        #expect(capabilities.storageProviders == ProviderKind.allCases)
        #expect(capabilities.resourceLayers == [.drbd, .luks, .storage])
        #expect(capabilities.unsupportedProviders.isEmpty)
        #expect(capabilities.unsupportedLayers.isEmpty)
    }

    @Test func machineWithoutDeviceMapperZFSOrDRBD() async throws {
        let capabilities = await CapabilityProbe(
            system: FakeProbeSystem.ciMachine,
            runner: try self.drbdadm("drbdadm-version-no-module.txt")
        ).probe()
        #expect(capabilities.storageProviders == [.diskless, .file, .fileThin])
        #expect(capabilities.resourceLayers == [.storage])
        #expect(capabilities.unsupportedProviders[.lvm] == ["device-mapper kernel driver (dm_mod) not available"])
        #expect(
            capabilities.unsupportedProviders[.lvmThin] == [
                "device-mapper kernel driver (dm_mod) not available", "dm-thin-pool kernel module not available",
            ]
        )
        #expect(
            capabilities.unsupportedProviders[.zfs] == [
                "'zfs' not found in PATH", "ZFS kernel module (zfs) not available",
            ]
        )
        #expect(capabilities.unsupportedProviders[.zfsThin] == capabilities.unsupportedProviders[.zfs])
        #expect(capabilities.unsupportedLayers[.drbd] == ["DRBD kernel module not available"])
        #expect(
            capabilities.unsupportedLayers[.luks] == [
                "device-mapper kernel driver (dm_mod) not available", "dm-crypt kernel module not available",
            ]
        )
    }

    @Test func missingToolsAreNamed() async throws {
        var system = FakeProbeSystem.complete
        system.executables = ["truncate"]
        let capabilities = await CapabilityProbe(system: system, runner: RecordingCommandRunner()).probe()
        #expect(capabilities.storageProviders == [.diskless])
        #expect(
            capabilities.unsupportedProviders[.file] == [
                "'losetup' not found in PATH", "'fallocate' not found in PATH",
            ]
        )
        #expect(capabilities.unsupportedProviders[.fileThin] == ["'losetup' not found in PATH"])
        #expect(
            capabilities.unsupportedProviders[.lvmThin] == [
                "'lvm' not found in PATH", "'lvcreate' not found in PATH", "'wipefs' not found in PATH",
                "'thin_check' not found (thin-provisioning-tools); LVM needs it to activate thin pools",
            ]
        )
        #expect(capabilities.unsupportedLayers[.luks] == ["'cryptsetup' not found in PATH"])
        // /proc/drbd shows the module, but the utilities are missing.
        #expect(
            capabilities.unsupportedLayers[.drbd] == [
                "'drbdadm' not found in PATH (drbd-utils)", "'drbdsetup' not found in PATH (drbd-utils)",
                "'drbdmeta' not found in PATH (drbd-utils)",
            ]
        )
    }

    @Test func drbd84IsTooOld() async throws {
        var system = FakeProbeSystem.complete
        system.files["/proc/drbd"] = "version: 8.4.11 (api:1/proto:86-101)\nsrcversion: 211FB288A383ED945B83420 \n"
        let capabilities = await CapabilityProbe(system: system, runner: RecordingCommandRunner()).probe()
        #expect(
            capabilities.unsupportedLayers[.drbd] == [
                "DRBD kernel module version 8.4.11 is too old; DRBD 9 is required"
            ]
        )
    }

    @Test func drbdVersionFromDrbdadmWhenProcIsSilent() async throws {
        var system = FakeProbeSystem.complete
        system.files["/proc/drbd"] = nil
        let runner = RecordingCommandRunner()
        runner.on(
            ["drbdadm"],
            reply: .ok("DRBD_KERNEL_VERSION_CODE=0x090208\nDRBD_KERNEL_VERSION=9.2.8\nDRBDADM_VERSION=8.9.10\n")
        )
        let capabilities = await CapabilityProbe(system: system, runner: runner).probe()
        #expect(
            capabilities.unsupportedLayers[.drbd] == ["drbd-utils 8.9.10 is too old; DRBD 9 utilities are required"]
        )
        #expect(runner.argvs == [["drbdadm", "--version"], ["drbdsetup", "--version"]])
    }

    @Test func drbdVersionFromTheConfiguredDrbdsetup() async throws {
        var system = FakeProbeSystem.complete
        system.files["/proc/drbd"] = nil
        system.executables.insert("/opt/test/drbdsetup")
        let runner = RecordingCommandRunner()
        runner.on(["drbdadm"], reply: .ok("DRBD_KERNEL_VERSION_CODE=0x000000\nDRBD_KERNEL_VERSION=0\nDRBDADM_VERSION=9.22.0\n"))
        runner.on(["/opt/test/drbdsetup"], reply: .ok("DRBD_KERNEL_VERSION_CODE=0x090208\nDRBD_KERNEL_VERSION=9.2.8\n"))
        let capabilities = await CapabilityProbe(system: system, runner: runner, drbdsetup: "/opt/test/drbdsetup").probe()
        #expect(capabilities.resourceLayers.contains(.drbd))
        #expect(capabilities.drbdModuleVersion == "9.2.8", "what drbdadm is told to plan for")
        #expect(runner.argvs.filter { $0 == ["/opt/test/drbdsetup", "--version"] }.count == 1, "asked once per probe")
    }

    @Test func installedButUnloadedModules() async throws {
        var system = FakeProbeSystem.ciMachine
        system.executables.insert("zfs")
        system.files["/lib/modules/6.18.44-fc-v657/modules.dep"] = """
            kernel/drivers/md/dm-mod.ko.xz:
            kernel/drivers/md/dm-thin-pool.ko.xz: kernel/drivers/md/persistent-data/dm-persistent-data.ko.xz kernel/drivers/md/dm-bio-prison.ko.xz kernel/drivers/md/dm-mod.ko.xz
            kernel/drivers/md/dm-crypt.ko.xz: kernel/drivers/md/dm-mod.ko.xz
            updates/dkms/zfs.ko.xz: updates/dkms/spl.ko.xz
            kernel/drivers/block/drbd/drbd.ko.xz: kernel/lib/lru_cache.ko.xz kernel/lib/libcrc32c.ko.xz
            """
        let capabilities = await CapabilityProbe(
            system: system,
            runner: try self.drbdadm("drbdadm-version-no-module.txt")
        ).probe()
        // The kernel loads device-mapper targets and zfs on demand; DRBD's version is unknown until loaded.
        #expect(capabilities.storageProviders == ProviderKind.allCases)
        #expect(capabilities.resourceLayers == [.luks, .storage])
        #expect(
            capabilities.unsupportedLayers[.drbd] == [
                "DRBD kernel module not available (drbd.ko is installed but not loaded)"
            ]
        )
    }

    @Test func builtInModulesCount() {
        let names = KernelModules.moduleNames("kernel/drivers/md/dm-mod.ko\nkernel/drivers/block/loop.ko\n")
        #expect(names == ["dm_mod", "loop"])
    }

    @Test func encodesAsLINSTORsNodeFields() throws {
        let capabilities = NodeCapabilities(
            storageProviders: [.diskless, .file],
            resourceLayers: [.storage],
            unsupportedProviders: [.zfs: ["'zfs' not found in PATH"]],
            unsupportedLayers: [.drbd: [CapabilityProbe.drbdModuleMissing]]
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(capabilities), as: UTF8.self)
        #expect(
            json
                == #"{"resource_layers":["STORAGE"],"storage_providers":["DISKLESS","FILE"],"unsupported_layers":{"DRBD":["DRBD kernel module not available"]},"unsupported_providers":{"ZFS":["'zfs' not found in PATH"]}}"#
        )
        #expect(try JSONDecoder().decode(NodeCapabilities.self, from: Data(json.utf8)) == capabilities)
    }

    /// The real probe on this machine: whatever it finds, a node without the DRBD module says so.
    @Test(.requiresTool("drbdadm"))
    func realNodeWithoutDRBDModuleSaysSo() async throws {
        let capabilities = await CapabilityProbe(runner: SubprocessCommandRunner()).probe()
        #expect(capabilities.storageProviders.contains(.diskless))
        #expect(capabilities.resourceLayers.contains(.storage))
        let hasModule =
            FileManager.default.fileExists(atPath: "/proc/drbd")
            || FileManager.default.fileExists(atPath: "/sys/module/drbd")
        if !hasModule {
            #expect(
                capabilities.unsupportedLayers[.drbd]?.contains { $0.hasPrefix(CapabilityProbe.drbdModuleMissing) }
                    == true
            )
        }
        if Host.tool("losetup") != nil, Host.tool("truncate") != nil, Host.hasLoopDevices {
            #expect(capabilities.supports(.fileThin))
        }
    }
}
