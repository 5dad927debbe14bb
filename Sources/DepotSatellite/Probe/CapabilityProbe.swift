import DepotModel

/// Finds out which storage providers and resource layers this node supports, and why not.
///
/// Looks for the tools each one runs (`losetup`, `lvm`, `zfs`, `cryptsetup`, `drbdadm` …) and the
/// kernel parts it needs (loop, device-mapper with dm-thin-pool or dm-crypt, zfs, DRBD 9), reading
/// `/proc`, `/sys/module` and `/lib/modules/<release>` through an injected ``ProbeSystem`` and
/// asking `drbdadm --version` through an injected ``CommandRunner``. STORAGE and DISKLESS are
/// always supported.
public struct CapabilityProbe: Sendable {
    /// How files and programs are looked at.
    public var system: any ProbeSystem
    /// Runs `drbdadm --version` and `drbdsetup --version`.
    public var runner: any CommandRunner
    /// The drbdsetup the DRBD layer uses (`--drbdsetup`); `nil` for the one in `PATH`.
    public var drbdsetup: String?

    /// The reason a node without a usable DRBD module gets, as LINSTOR words it.
    public static let drbdModuleMissing = "DRBD kernel module not available"

    /// Creates a probe.
    public init(system: any ProbeSystem = LocalProbeSystem(), runner: any CommandRunner, drbdsetup: String? = nil) {
        self.system = system
        self.runner = runner
        self.drbdsetup = drbdsetup
    }

    /// Probes the node.
    public func probe() async -> NodeCapabilities {
        let modules = KernelModules(system: self.system)
        var unsupportedProviders: [ProviderKind: [String]] = [:]
        for kind in ProviderKind.allCases {
            let reasons = self.reasons(against: kind, modules)
            if !reasons.isEmpty { unsupportedProviders[kind] = reasons }
        }
        // drbdadm and drbdsetup are asked once; their answer serves the DRBD layer's check and version.
        let drbdVersions = await self.drbdToolVersions()
        var unsupportedLayers: [LayerKind: [String]] = [:]
        for kind in LayerKind.allCases {
            let reasons = self.reasons(against: kind, modules, drbdVersions: drbdVersions)
            if !reasons.isEmpty { unsupportedLayers[kind] = reasons }
        }
        return NodeCapabilities(
            storageProviders: ProviderKind.allCases.filter { unsupportedProviders[$0] == nil },
            resourceLayers: LayerKind.allCases.filter { unsupportedLayers[$0] == nil },
            unsupportedProviders: unsupportedProviders,
            unsupportedLayers: unsupportedLayers,
            drbdModuleVersion: self.drbdKernelVersion(drbdVersions)
        )
    }

    // MARK: - Providers

    private func reasons(against kind: ProviderKind, _ modules: KernelModules) -> [String] {
        switch kind {
        case .diskless:
            return []
        case .file, .fileThin:
            let tools = ["losetup", kind == .file ? "fallocate" : "truncate"]
            return self.missingTools(tools) + self.loopReasons(modules)
        case .lvm:
            return self.missingTools(["lvm", "lvcreate", "wipefs"]) + self.deviceMapperReasons(modules)
        case .lvmThin:
            var reasons = self.missingTools(["lvm", "lvcreate", "wipefs"])
            if self.system.findExecutable("thin_check") == nil {
                reasons.append("'thin_check' not found (thin-provisioning-tools); LVM needs it to activate thin pools")
            }
            reasons += self.deviceMapperReasons(modules)
            if modules.presence(of: "dm_thin_pool") == .absent {
                reasons.append("dm-thin-pool kernel module not available")
            }
            return reasons
        case .zfs, .zfsThin:
            var reasons = self.missingTools(["zfs"])
            let filesystems = self.system.readFile("/proc/filesystems") ?? ""
            if modules.presence(of: "zfs") == .absent, !Self.lines(filesystems).contains(where: { $0.hasSuffix("zfs") }) {
                reasons.append("ZFS kernel module (zfs) not available")
            }
            return reasons
        }
    }

    private func loopReasons(_ modules: KernelModules) -> [String] {
        let devices = self.system.readFile("/proc/devices") ?? ""
        let hasLoop =
            modules.presence(of: "loop") != .absent || self.system.fileExists("/dev/loop-control")
            || Self.lines(devices).contains { $0.split(separator: " ").last == "loop" }
        return hasLoop ? [] : ["loop device driver (loop) not available"]
    }

    private func deviceMapperReasons(_ modules: KernelModules) -> [String] {
        let misc = self.system.readFile("/proc/misc") ?? ""
        let devices = self.system.readFile("/proc/devices") ?? ""
        let available =
            modules.presence(of: "dm_mod") != .absent
            || Self.lines(misc).contains { $0.hasSuffix("device-mapper") }
            || Self.lines(devices).contains { $0.hasSuffix("device-mapper") }
        return available ? [] : ["device-mapper kernel driver (dm_mod) not available"]
    }

    private func missingTools(_ names: [String]) -> [String] {
        names.filter { self.system.findExecutable($0) == nil }.map { "'\($0)' not found in PATH" }
    }

    // MARK: - Layers

    private func reasons(against kind: LayerKind, _ modules: KernelModules, drbdVersions: [String: String]) -> [String] {
        switch kind {
        case .storage:
            return []
        case .luks:
            var reasons = self.missingTools(["cryptsetup"]) + self.deviceMapperReasons(modules)
            if modules.presence(of: "dm_crypt") == .absent {
                reasons.append("dm-crypt kernel module not available")
            }
            return reasons
        case .drbd:
            return self.drbdReasons(modules, drbdVersions)
        }
    }

    private func drbdReasons(_ modules: KernelModules, _ toolVersions: [String: String]) -> [String] {
        let drbdsetup = self.drbdsetup ?? "drbdsetup"
        var reasons = self.missingTools(["drbdadm", drbdsetup, "drbdmeta"]).map { $0 + " (drbd-utils)" }
        if let utils = toolVersions["DRBDADM_VERSION"], let major = Self.majorVersion(utils), major < 9 {
            reasons.append("drbd-utils \(utils) is too old; DRBD 9 utilities are required")
        }
        guard let kernel = self.drbdKernelVersion(toolVersions) else {
            var reason = Self.drbdModuleMissing
            if modules.presence(of: "drbd") == .loadable {
                reason += " (drbd.ko is installed but not loaded)"
            }
            return reasons + [reason]
        }
        if let major = Self.majorVersion(kernel), major < 9 {
            reasons.append("DRBD kernel module version \(kernel) is too old; DRBD 9 is required")
        }
        return reasons
    }

    /// `drbdadm --version`, with the kernel lines of the configured drbdsetup's `--version` on top.
    private func drbdToolVersions() async -> [String: String] {
        let drbdsetup = self.drbdsetup ?? "drbdsetup"
        var toolVersions: [String: String] = [:]
        if self.system.findExecutable("drbdadm") != nil {
            // drbdadm reads stdin in some modes; the runner gives it /dev/null.
            let command = Command("drbdadm", ["--version"], timeout: .seconds(10))
            if let result = try? await self.runner.run(command), result.isSuccess {
                toolVersions = Self.assignments(result.stdout)
            }
        }
        // drbdsetup asks the module itself; it fails (exit 20) when there is none.
        if self.system.findExecutable(drbdsetup) != nil,
            let result = try? await self.runner.run(Command(drbdsetup, ["--version"], timeout: .seconds(10))), result.isSuccess
        {
            let kernel = Self.assignments(result.stdout).filter { $0.key.hasPrefix("DRBD_KERNEL") }
            toolVersions.merge(kernel) { _, fromModule in fromModule }
        }
        return toolVersions
    }

    /// The loaded module's version from `/proc/drbd`, `/sys/module/drbd/version` or `drbdadm --version`.
    private func drbdKernelVersion(_ toolVersions: [String: String]) -> String? {
        if let text = self.system.readFile("/proc/drbd"),
            let line = Self.lines(text).first(where: { $0.hasPrefix("version:") })
        {
            // "version: 9.2.8 (api:2/proto:86-122)"
            let words = line.dropFirst("version:".count).split(separator: " ")
            if let version = words.first { return String(version) }
        }
        if let version = self.system.readFile("/sys/module/drbd/version")?.trimmingWhitespace, !version.isEmpty {
            return version
        }
        // drbdadm prints DRBD_KERNEL_VERSION=0 (code 0x000000) when no module is loaded.
        if let version = toolVersions["DRBD_KERNEL_VERSION"], version != "0", !version.isEmpty {
            return version
        }
        return nil
    }

    /// `KEY=value` lines (as `drbdadm --version` prints) as a dictionary.
    static func assignments(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for line in Self.lines(text) {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return values
    }

    static func majorVersion(_ version: String) -> Int? {
        version.split(separator: ".").first.flatMap { Int($0) }
    }

    private static func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.trimmingWhitespace }
    }
}
