public import DepotModel
import Synchronization

/// LVM (thick LVs in a VG) and LVM_THIN (thin LVs in `vg/thinpool`).
///
/// Observes with `vgs`/`lvs --reportformat json --units b`, creates with `lvcreate --size` (thick)
/// or `lvcreate --virtualsize … --thinpool` then `lvchange -ay -K` (thin, as LINSTOR), grows with
/// `lvresize`, and deletes with `wipefs -a` then `lvremove -f`. Sizes are rounded up to the VG's
/// extent size. The device is `/dev/<vg>/<lv>`. LVM_THIN takes snapshots (LVMProvider+Snapshots.swift).
public struct LVMProvider: StorageProvider {
    /// Whether LVs get real device nodes.
    public enum DeviceHandling: Sendable, Hashable {
        /// Production: activate LVs, wait for `/dev/<vg>/<lv>` with the right size, wipe before removal.
        case activateAndWait
        /// Tests only, with an `lvm.conf` that sets `activation = 0` (no device-mapper here): LVM
        /// changes metadata but no device node ever appears, so the provider neither activates,
        /// waits for nor wipes devices, and reports the path LVM would use.
        case metadataOnlyForTesting
    }

    /// How LVM commands are run.
    public struct Settings: Sendable, Hashable {
        /// `LVM_SYSTEM_DIR` for every command (a private `lvm.conf`); `nil` uses the system's.
        public var systemDirectory: String?
        /// A `--config` string passed to every command (a device filter, say); `nil` passes none.
        public var config: String?
        /// The timeout of each command.
        public var commandTimeout: Duration
        /// Whether LVs get devices; ``DeviceHandling/metadataOnlyForTesting`` only in tests.
        public var deviceHandling: DeviceHandling

        /// Creates settings; the defaults are the production ones.
        public init(
            systemDirectory: String? = nil,
            config: String? = nil,
            commandTimeout: Duration = Command.defaultTimeout,
            deviceHandling: DeviceHandling = .activateAndWait
        ) {
            self.systemDirectory = systemDirectory
            self.config = config
            self.commandTimeout = commandTimeout
            self.deviceHandling = deviceHandling
        }
    }

    public let kind: ProviderKind
    let tool: LVMTool
    let deviceWaiter: DeviceWaiter
    let extentSizes = ExtentSizes()

    /// Creates an LVM or LVM_THIN provider.
    ///
    /// - Parameters:
    ///   - kind: ``ProviderKind/lvm`` or ``ProviderKind/lvmThin``.
    ///   - runner: Runs the LVM tools and `wipefs`.
    ///   - deviceWaiter: Waits for `/dev/<vg>/<lv>`.
    ///   - settings: Environment, `--config`, timeout and device handling.
    public init(
        kind: ProviderKind,
        runner: any CommandRunner,
        deviceWaiter: DeviceWaiter = DeviceWaiter(),
        settings: Settings = Settings()
    ) {
        precondition(kind == .lvm || kind == .lvmThin, "LVMProvider serves LVM and LVM_THIN, not \(kind)")
        self.kind = kind
        self.tool = LVMTool(runner: runner, settings: settings)
        self.deviceWaiter = deviceWaiter
    }

    var isMetadataOnly: Bool { self.tool.settings.deviceHandling == .metadataOnlyForTesting }

    public func capacity(of pool: PoolConfig) async throws(StorageError) -> PoolCapacity {
        let location = try self.location(of: pool)
        guard let thinPool = location.thinPool else {
            let group = try await self.tool.requireVolumeGroup(location.volumeGroup, pool: pool)
            return PoolCapacity(freeKiB: group.freeBytes / 1024, totalKiB: group.sizeBytes / 1024)
        }
        let row = try await self.thinPoolRow(location.volumeGroup, thinPool, pool: pool)
        let totalKiB = row.sizeBytes / 1024
        // Mirrors LINSTOR's LvmThinProvider: free = pool size × (1 − data_percent / 100).
        let usedKiB = Int64((Double(totalKiB) * (row.dataPercent ?? 0) / 100).rounded(.up))
        return PoolCapacity(freeKiB: max(0, totalKiB - usedKiB), totalKiB: totalKiB)
    }

    public func inventory(of pool: PoolConfig) async throws(StorageError) -> [String: ProvidedVolume] {
        let location = try self.location(of: pool)
        var volumes: [String: ProvidedVolume] = [:]
        for row in try await self.tool.logicalVolumes(in: location.volumeGroup, pool: pool) where !row.isThinPool {
            // A thin pool's listing also shows the VG's other LVs; only the pool's own are its volumes.
            if let thinPool = location.thinPool, row.poolLV != thinPool { continue }
            // Thin snapshots are LVs of the pool too (`<backing name>_<snapshot>`), not volumes.
            if !SnapshotNames.readings(of: row.name).isEmpty { continue }
            volumes[row.name] = self.observation(row)
        }
        return volumes
    }

    public func volume(_ id: VolumeID, in pool: PoolConfig) async throws(StorageError) -> ProvidedVolume? {
        try id.validate()
        let location = try self.location(of: pool)
        guard let row = try await self.logicalVolume(id, location, pool: pool) else { return nil }
        return self.observation(row)
    }

    /// `lvcreate` first, without looking: an LV that exists already makes it fail with "already
    /// exists" and is then grown if needed, and a missing VG or thin pool is named after the
    /// failure. A new thin volume costs `lvcreate`, `lvchange` and one `lvs`, whatever the node holds.
    public func create(_ id: VolumeID, sizeKiB: Int64, in pool: PoolConfig) async throws(StorageError) -> ProvidedVolume {
        try id.validate()
        let location = try self.location(of: pool)
        let wantedKiB = SizeAlignment.roundUp(sizeKiB, toMultipleOf: try await self.extentKiB(of: location.volumeGroup, pool: pool))
        let name = "\(location.volumeGroup)/\(id.backingName)"
        var arguments: [String]
        if let thinPool = location.thinPool {
            arguments = ["--virtualsize", "\(wantedKiB)k", "--thinpool", thinPool]
        } else {
            arguments = ["--size", "\(wantedKiB)k"]
        }
        arguments += ["--name", id.backingName, "--yes"]
        arguments += pool.optionWords(PoolConfig.PropertyKey.lvcreateOptions)
        arguments.append(location.volumeGroup)
        let command = self.tool.command("lvcreate", arguments)
        let what = "Creating LV \(name) of \(wantedKiB) KiB"
        let result = try await self.tool.run(command, what)
        guard result.exitCode == 0 else {
            guard result.stderr.contains("already exists") else {
                // Say which part of the pool is missing, rather than only lvcreate's words.
                _ = try await self.tool.requireVolumeGroup(location.volumeGroup, pool: pool)
                if let thinPool = location.thinPool { _ = try await self.thinPoolRow(location.volumeGroup, thinPool, pool: pool) }
                throw .command(what, CommandError(.nonZeroExit, command: command, exitCode: result.exitCode, stderr: result.stderr))
            }
            guard let existing = try await self.logicalVolume(id, location, pool: pool) else {
                throw .command(what, CommandError(.nonZeroExit, command: command, exitCode: result.exitCode, stderr: result.stderr))
            }
            if existing.sizeBytes > wantedKiB * 1024 {
                throw StorageError(
                    .sizeMismatch,
                    "LV \(name) exists with \(existing.sizeBytes / 1024) KiB, more than the \(wantedKiB) KiB asked for; volumes are never shrunk."
                )
            }
            if existing.sizeBytes < wantedKiB * 1024 {
                try await self.tool.runChecked("lvresize", ["--size", "\(wantedKiB)k", name], "Growing LV \(name) to \(wantedKiB) KiB")
            }
            return try await self.activateAndObserve(id, location, wantedKiB: wantedKiB, pool: pool)
        }
        return try await self.awaitNewVolume(id, location, wantedKiB: wantedKiB, pool: pool)
    }

    /// A new LV's device, activated only when it does not show up by itself (lvcreate activates,
    /// udev makes the node); its size is the kernel's, its allocation what a new LV holds (none
    /// for thin, all for thick) until the next listing.
    func awaitNewVolume(_ id: VolumeID, _ location: Location, wantedKiB: Int64, pool: PoolConfig) async throws(StorageError) -> ProvidedVolume {
        guard !self.isMetadataOnly else { return try await self.activateAndObserve(id, location, wantedKiB: wantedKiB, pool: pool) }
        let name = "\(location.volumeGroup)/\(id.backingName)"
        let device = "/dev/\(name)"
        let bytes: Int64
        do {
            bytes = try await self.deviceWaiter.waitForDevice(at: device, minimumKiB: wantedKiB, timeout: min(pool.waitTimeout, Self.selfActivationWait))
        } catch {
            try await self.tool.runChecked("lvchange", ["--activate", "y", "--ignoreactivationskip", name], "Activating LV \(name)")
            bytes = try await self.deviceWaiter.waitForDevice(at: device, minimumKiB: wantedKiB, timeout: pool.waitTimeout)
        }
        return ProvidedVolume(devicePath: device, allocatedKiB: location.thinPool == nil ? bytes / 1024 : 0, usableKiB: bytes / 1024)
    }

    /// How long a new LV's device may take to appear before the LV is activated explicitly.
    static let selfActivationWait: Duration = .seconds(2)

    /// The VG's extent size in KiB, asked of `vgs` once per VG: it is fixed when the VG is made.
    func extentKiB(of volumeGroup: String, pool: PoolConfig) async throws(StorageError) -> Int64 {
        if let known = self.extentSizes.kiB(of: volumeGroup) { return known }
        let group = try await self.tool.requireVolumeGroup(volumeGroup, pool: pool)
        let kiB = max(1, group.extentSizeBytes / 1024)
        self.extentSizes.record(kiB, of: volumeGroup)
        return kiB
    }

    public func resize(_ id: VolumeID, sizeKiB: Int64, in pool: PoolConfig) async throws(StorageError) -> ProvidedVolume {
        try id.validate()
        let location = try self.location(of: pool)
        let wantedKiB = SizeAlignment.roundUp(sizeKiB, toMultipleOf: try await self.extentKiB(of: location.volumeGroup, pool: pool))
        let name = "\(location.volumeGroup)/\(id.backingName)"
        guard let existing = try await self.logicalVolume(id, location, pool: pool) else {
            throw StorageError(.volumeMissing, "Cannot resize \(id) in pool '\(pool.name)': LV \(name) does not exist.")
        }
        if existing.sizeBytes > wantedKiB * 1024 {
            throw StorageError(
                .sizeMismatch,
                "Cannot resize LV \(name) from \(existing.sizeBytes / 1024) KiB to \(wantedKiB) KiB; volumes are never shrunk."
            )
        }
        if existing.sizeBytes < wantedKiB * 1024 {
            try await self.tool.runChecked(
                "lvresize",
                ["--size", "\(wantedKiB)k", name],
                "Growing LV \(name) to \(wantedKiB) KiB"
            )
        }
        return try await self.activateAndObserve(id, location, wantedKiB: wantedKiB, pool: pool)
    }

    /// `lvchange --activate n`: the LV's device goes, its data stays.
    public func deactivate(_ id: VolumeID, in pool: PoolConfig) async throws(StorageError) {
        try id.validate()
        let location = try self.location(of: pool)
        guard let existing = try await self.logicalVolume(id, location, pool: pool) else { return }
        let name = "\(location.volumeGroup)/\(id.backingName)"
        let device = Self.devicePath(existing)
        if !self.isMetadataOnly, self.deviceWaiter.devices.isBlockDeviceInUse(at: device) {
            throw StorageError(.volumeInUse, "Volume \(id) in pool '\(pool.name)' is in use: \(device) is mounted or held open.")
        }
        do {
            try await self.tool.runner.runChecked(self.tool.command("lvchange", ["--activate", "n", name]))
        } catch {
            throw .command("Deactivating LV \(name)", error)
        }
    }

    /// `wipefs` and `lvremove` without looking first: an LV that is not there makes `lvremove` say
    /// so, which is success here.
    public func delete(_ id: VolumeID, in pool: PoolConfig) async throws(StorageError) {
        try id.validate()
        let location = try self.location(of: pool)
        let name = "\(location.volumeGroup)/\(id.backingName)"
        let device = "/dev/\(name)"
        if !self.isMetadataOnly, self.deviceWaiter.devices.sizeOfBlockDevice(at: device) != nil {
            if self.deviceWaiter.devices.isBlockDeviceInUse(at: device) {
                throw StorageError(
                    .volumeInUse,
                    "Volume \(id) in pool '\(pool.name)' is in use: \(device) is mounted or held open."
                )
            }
            // As LINSTOR: wipe file system and DRBD signatures so a later LV in the same place starts clean.
            do {
                try await self.tool.runner.runChecked(
                    Command("wipefs", ["--all", device], timeout: self.tool.settings.commandTimeout)
                )
            } catch {
                throw .command("Wiping signatures of \(device)", error)
            }
        }
        do {
            try await self.tool.runner.runChecked(self.tool.command("lvremove", ["--force", name]))
        } catch {
            if error.exitCode == 5, error.stderrTail.contains("Failed to find logical volume") { return }
            if error.stderrTail.contains("in use") || error.stderrTail.contains("is open") {
                throw StorageError(
                    .volumeInUse,
                    "Volume \(id) in pool '\(pool.name)' is in use: LV \(name) is open.",
                    commandError: error
                )
            }
            throw .command("Removing LV \(name)", error)
        }
    }

    /// Many LVs of one pool with one `wipefs` and one `lvremove`; when either fails, each LV is
    /// removed on its own so that every failure names its volume.
    public func delete(_ ids: [VolumeID], in pool: PoolConfig) async -> [VolumeID: StorageError] {
        guard ids.count > 1, let location = try? self.location(of: pool), ids.allSatisfy({ (try? $0.validate()) != nil }) else {
            return await self.deleteOneByOne(ids, in: pool)
        }
        var failures: [VolumeID: StorageError] = [:]
        var removable: [VolumeID] = []
        var devices: [String] = []
        for id in ids {
            let device = "/dev/\(location.volumeGroup)/\(id.backingName)"
            if !self.isMetadataOnly, self.deviceWaiter.devices.sizeOfBlockDevice(at: device) != nil {
                if self.deviceWaiter.devices.isBlockDeviceInUse(at: device) {
                    failures[id] = StorageError(.volumeInUse, "Volume \(id) in pool '\(pool.name)' is in use: \(device) is mounted or held open.")
                    continue
                }
                devices.append(device)
            }
            removable.append(id)
        }
        guard !removable.isEmpty else { return failures }
        let timeout = self.tool.settings.commandTimeout
        if !devices.isEmpty, (try? await self.tool.runner.runChecked(Command("wipefs", ["--all"] + devices, timeout: timeout))) == nil {
            return failures.merging(await self.deleteOneByOne(removable, in: pool)) { first, _ in first }
        }
        let names = removable.map { "\(location.volumeGroup)/\($0.backingName)" }
        if (try? await self.tool.runner.runChecked(self.tool.command("lvremove", ["--force"] + names))) == nil {
            return failures.merging(await self.deleteOneByOne(removable, in: pool)) { first, _ in first }
        }
        return failures
    }

    // MARK: - Steps

    /// The VG and, for LVM_THIN, the thin pool of `pool`.
    struct Location: Sendable, Hashable {
        var volumeGroup: String
        var thinPool: String?
    }

    func location(of pool: PoolConfig) throws(StorageError) -> Location {
        let parts = pool.backingName.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let valid = parts.allSatisfy(Self.isValidLVMName)
        switch self.kind {
        case .lvmThin where parts.count == 2 && valid:
            return Location(volumeGroup: parts[0], thinPool: parts[1])
        case .lvm where parts.count == 1 && valid:
            return Location(volumeGroup: parts[0], thinPool: nil)
        default:
            let expected = self.kind == .lvmThin ? "'<volume group>/<thin pool>'" : "a volume group name"
            throw StorageError(
                .invalidConfiguration,
                "Storage pool '\(pool.name)': \(PoolConfig.PropertyKey.poolName) must be \(expected), not '\(pool.backingName)'."
            )
        }
    }

    /// LVM's name rule: letters, digits, `+_.-`, not starting with `-`.
    static func isValidLVMName(_ name: String) -> Bool {
        guard let first = name.first, first != "-", name != ".", name != ".." else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "+", "_", ".", "-": true
            default: false
            }
        }
    }

    func logicalVolume(
        _ id: VolumeID,
        _ location: Location,
        pool: PoolConfig
    ) async throws(StorageError) -> LVMReport.LogicalVolume? {
        try await self.tool.logicalVolume(id.backingName, in: location.volumeGroup, pool: pool)
    }

    private func thinPoolRow(
        _ volumeGroup: String,
        _ thinPool: String,
        pool: PoolConfig
    ) async throws(StorageError) -> LVMReport.LogicalVolume {
        guard let row = try await self.tool.logicalVolume(thinPool, in: volumeGroup, pool: pool), row.isThinPool else {
            throw StorageError(
                .poolMissing,
                "Storage pool '\(pool.name)': thin pool '\(volumeGroup)/\(thinPool)' does not exist."
            )
        }
        return row
    }

    /// Activates the LV when its device is missing (always after a thin create, as LINSTOR), waits
    /// for the device, and observes the LV again.
    func activateAndObserve(
        _ id: VolumeID,
        _ location: Location,
        wantedKiB: Int64,
        pool: PoolConfig
    ) async throws(StorageError) -> ProvidedVolume {
        let name = "\(location.volumeGroup)/\(id.backingName)"
        if !self.isMetadataOnly {
            let device = "/dev/\(name)"
            if location.thinPool != nil || self.deviceWaiter.devices.sizeOfBlockDevice(at: device) == nil {
                try await self.tool.runChecked("lvchange", ["--activate", "y", "--ignoreactivationskip", name], "Activating LV \(name)")
            }
            try await self.deviceWaiter.waitForDevice(at: device, minimumKiB: wantedKiB, timeout: pool.waitTimeout)
        }
        guard let row = try await self.logicalVolume(id, location, pool: pool) else {
            throw StorageError(.volumeMissing, "LV \(name) disappeared right after it was created.")
        }
        return self.observation(row)
    }

    func observation(_ row: LVMReport.LogicalVolume) -> ProvidedVolume {
        let device = Self.devicePath(row)
        let hasDevice = self.isMetadataOnly || self.deviceWaiter.devices.sizeOfBlockDevice(at: device) != nil
        let usableKiB = row.sizeBytes / 1024
        let allocatedKiB =
            row.dataPercent.map { Int64((Double(usableKiB) * $0 / 100).rounded(.up)) } ?? usableKiB
        return ProvidedVolume(devicePath: hasDevice ? device : nil, allocatedKiB: allocatedKiB, usableKiB: usableKiB)
    }

    static func devicePath(_ row: LVMReport.LogicalVolume) -> String {
        row.path.isEmpty ? "/dev/\(row.volumeGroup)/\(row.name)" : row.path
    }
}

/// VG extent sizes learned so far, shared by every call of one provider.
final class ExtentSizes: Sendable {
    private let sizes = Mutex<[String: Int64]>([:])

    func kiB(of volumeGroup: String) -> Int64? { self.sizes.withLock { $0[volumeGroup] } }

    func record(_ kiB: Int64, of volumeGroup: String) { self.sizes.withLock { $0[volumeGroup] = kiB } }
}
