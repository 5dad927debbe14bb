public import DepotModel

/// ZFS (zvols with a reservation) and ZFS_THIN (sparse zvols, `-s`) in `zpool[/dataset]`.
///
/// Observes with `zfs list -H -p`, creates with `zfs create [-s] -V <N>k`, grows with
/// `zfs set volsize=<N>k`, deletes with `zfs destroy`, and reads capacity with
/// `zfs get -H -p available,used`. New sizes are rounded up to 8 KiB (or the `-b`/`volblocksize`
/// given in `StorDriver/ZfscreateOptions`); resizes to the volume's own block size. The device
/// is `/dev/zvol/<pool>/<id>`. Both take snapshots (ZFSProvider+Snapshots.swift), which is why
/// ``delete(_:in:)`` sets a volume with snapshots aside instead of destroying it.
public struct ZFSProvider: StorageProvider {
    public let kind: ProviderKind
    let runner: any CommandRunner
    let deviceWaiter: DeviceWaiter
    let commandTimeout: Duration

    /// The block size assumed for new zvols when the pool's options name none.
    static let defaultBlockSizeKiB: Int64 = 8

    /// Creates a ZFS or ZFS_THIN provider.
    ///
    /// - Parameters:
    ///   - kind: ``ProviderKind/zfs`` or ``ProviderKind/zfsThin``.
    ///   - runner: Runs `zfs`.
    ///   - deviceWaiter: Waits for `/dev/zvol/…`.
    ///   - commandTimeout: The timeout of each command.
    public init(
        kind: ProviderKind,
        runner: any CommandRunner,
        deviceWaiter: DeviceWaiter = DeviceWaiter(),
        commandTimeout: Duration = Command.defaultTimeout
    ) {
        precondition(kind == .zfs || kind == .zfsThin, "ZFSProvider serves ZFS and ZFS_THIN, not \(kind)")
        self.kind = kind
        self.runner = runner
        self.deviceWaiter = deviceWaiter
        self.commandTimeout = commandTimeout
    }

    /// The device of a zvol.
    public static func devicePath(of dataset: String) -> String { "/dev/zvol/\(dataset)" }

    public func capacity(of pool: PoolConfig) async throws(StorageError) -> PoolCapacity {
        let parent = try self.parentDataset(of: pool)
        let result = try await self.zfs(
            ["get", "-H", "-p", "-o", "property,value", "available,used", parent],
            "Reading the space of '\(parent)'",
            pool: pool
        )
        let values = try ZFSList.properties(result.stdout)
        guard let available = values["available"], let used = values["used"] else {
            throw StorageError(.unexpectedOutput, "zfs get did not report available and used for '\(parent)'.")
        }
        return PoolCapacity(freeKiB: available / 1024, totalKiB: (available + used) / 1024)
    }

    public func inventory(of pool: PoolConfig) async throws(StorageError) -> [String: ProvidedVolume] {
        let parent = try self.parentDataset(of: pool)
        var volumes: [String: ProvidedVolume] = [:]
        for row in try await self.zvols(in: pool) {
            guard row.name.hasPrefix(parent + "/") else { continue }
            let name = String(row.name.dropFirst(parent.count + 1))
            // A deleted volume kept for its snapshots is no volume any more.
            if Self.deletedVolumeBackingName(name) != nil { continue }
            volumes[name] = self.observation(row)
        }
        return volumes
    }

    public func volume(_ id: VolumeID, in pool: PoolConfig) async throws(StorageError) -> ProvidedVolume? {
        try id.validate()
        guard let row = try await self.zvol(id, in: pool) else { return nil }
        return self.observation(row)
    }

    public func create(_ id: VolumeID, sizeKiB: Int64, in pool: PoolConfig) async throws(StorageError) -> ProvidedVolume {
        try id.validate()
        let dataset = try self.dataset(of: id, in: pool)
        let options = pool.optionWords(PoolConfig.PropertyKey.zfsCreateOptions)
        var wantedKiB = SizeAlignment.roundUp(sizeKiB, toMultipleOf: Self.blockSizeKiB(in: options))
        if let existing = try await self.zvol(id, in: pool) {
            wantedKiB = SizeAlignment.roundUp(sizeKiB, toMultipleOf: max(1, existing.blockSizeBytes / 1024))
            if existing.volumeSizeBytes > wantedKiB * 1024 {
                throw StorageError(
                    .sizeMismatch,
                    "Zvol \(dataset) exists with \(existing.volumeSizeBytes / 1024) KiB, more than the \(wantedKiB) KiB asked for; volumes are never shrunk."
                )
            }
            if existing.volumeSizeBytes < wantedKiB * 1024 {
                _ = try await self.zfs(
                    ["set", "volsize=\(wantedKiB)k", dataset],
                    "Growing zvol \(dataset) to \(wantedKiB) KiB",
                    pool: pool
                )
            }
        } else {
            var arguments = ["create"]
            if self.kind == .zfsThin { arguments.append("-s") }
            arguments += ["-V", "\(wantedKiB)k"] + options + [dataset]
            _ = try await self.zfs(arguments, "Creating zvol \(dataset) of \(wantedKiB) KiB", pool: pool)
        }
        return try await self.waitAndObserve(id, dataset: dataset, wantedKiB: wantedKiB, pool: pool)
    }

    public func resize(_ id: VolumeID, sizeKiB: Int64, in pool: PoolConfig) async throws(StorageError) -> ProvidedVolume {
        try id.validate()
        let dataset = try self.dataset(of: id, in: pool)
        guard let existing = try await self.zvol(id, in: pool) else {
            throw StorageError(
                .volumeMissing,
                "Cannot resize \(id) in pool '\(pool.name)': zvol \(dataset) does not exist."
            )
        }
        let wantedKiB = SizeAlignment.roundUp(sizeKiB, toMultipleOf: max(1, existing.blockSizeBytes / 1024))
        if existing.volumeSizeBytes > wantedKiB * 1024 {
            throw StorageError(
                .sizeMismatch,
                "Cannot resize zvol \(dataset) from \(existing.volumeSizeBytes / 1024) KiB to \(wantedKiB) KiB; volumes are never shrunk."
            )
        }
        if existing.volumeSizeBytes < wantedKiB * 1024 {
            _ = try await self.zfs(
                ["set", "volsize=\(wantedKiB)k", dataset],
                "Growing zvol \(dataset) to \(wantedKiB) KiB",
                pool: pool
            )
        }
        return try await self.waitAndObserve(id, dataset: dataset, wantedKiB: wantedKiB, pool: pool)
    }

    /// A zvol's device exists as long as the zvol does; deactivating keeps it and only checks that
    /// nothing holds it.
    public func deactivate(_ id: VolumeID, in pool: PoolConfig) async throws(StorageError) {
        try id.validate()
        let device = Self.devicePath(of: try self.dataset(of: id, in: pool))
        if self.deviceWaiter.devices.isBlockDeviceInUse(at: device) {
            throw StorageError(.volumeInUse, "Volume \(id) in pool '\(pool.name)' is in use: \(device) is mounted or held open.")
        }
    }

    public func delete(_ id: VolumeID, in pool: PoolConfig) async throws(StorageError) {
        try id.validate()
        let dataset = try self.dataset(of: id, in: pool)
        guard try await self.zvol(id, in: pool) != nil else { return }
        let device = Self.devicePath(of: dataset)
        if self.deviceWaiter.devices.isBlockDeviceInUse(at: device) {
            throw StorageError(
                .volumeInUse,
                "Volume \(id) in pool '\(pool.name)' is in use: \(device) is mounted or held open."
            )
        }
        let command = Command("zfs", ["destroy", dataset], timeout: self.commandTimeout)
        do {
            try await self.runner.runChecked(command)
        } catch {
            if error.stderrTail.contains("has children") {
                // ZFS keeps a zvol while it has snapshots, and snapshots outlive volumes.
                try await self.setAsideDeletedVolume(dataset, in: pool)
                return
            }
            if error.stderrTail.contains("dataset is busy") {
                throw StorageError(
                    .volumeInUse,
                    "Volume \(id) in pool '\(pool.name)' is in use: zvol \(dataset) is busy.",
                    commandError: error
                )
            }
            throw .command("Destroying zvol \(dataset)", error)
        }
    }

    // MARK: - Steps

    /// `<pool>/<id>`.
    func dataset(of id: VolumeID, in pool: PoolConfig) throws(StorageError) -> String {
        "\(try self.parentDataset(of: pool))/\(id.backingName)"
    }

    /// The pool's dataset, checked against ZFS's name rules so it cannot pass for an option.
    func parentDataset(of pool: PoolConfig) throws(StorageError) -> String {
        var name = pool.backingName
        while name.hasSuffix("/") { name.removeLast() }
        let components = name.split(separator: "/", omittingEmptySubsequences: false)
        let valid =
            !name.isEmpty && name.first?.isLetter == true
            && components.allSatisfy { component in
                !component.isEmpty
                    && component.unicodeScalars.allSatisfy { scalar in
                        switch scalar {
                        case "a"..."z", "A"..."Z", "0"..."9", "_", "-", ".", ":": true
                        default: false
                        }
                    }
            }
        guard valid else {
            throw StorageError(
                .invalidConfiguration,
                "Storage pool '\(pool.name)': \(PoolConfig.PropertyKey.poolName) must be a zpool or dataset name, not '\(pool.backingName)'."
            )
        }
        return name
    }

    /// The zvol of `id`, from a listing of the pool's direct children.
    func zvol(_ id: VolumeID, in pool: PoolConfig) async throws(StorageError) -> ZFSList.Volume? {
        let dataset = "\(try self.parentDataset(of: pool))/\(id.backingName)"
        return try await self.zvols(in: pool).first { $0.name == dataset }
    }

    /// The zvols directly below the pool's dataset, from one `zfs list`.
    func zvols(in pool: PoolConfig) async throws(StorageError) -> [ZFSList.Volume] {
        let parent = try self.parentDataset(of: pool)
        let result = try await self.zfs(
            ["list", "-H", "-p", "-d", "1", "-t", "volume", "-o", ZFSList.volumeFields, parent],
            "Listing the zvols of '\(parent)'",
            pool: pool
        )
        return try ZFSList.volumes(result.stdout)
    }

    func waitAndObserve(
        _ id: VolumeID,
        dataset: String,
        wantedKiB: Int64,
        pool: PoolConfig
    ) async throws(StorageError) -> ProvidedVolume {
        try await self.deviceWaiter.waitForDevice(
            at: Self.devicePath(of: dataset),
            minimumKiB: wantedKiB,
            timeout: pool.waitTimeout
        )
        guard let row = try await self.zvol(id, in: pool) else {
            throw StorageError(.volumeMissing, "Zvol \(dataset) disappeared right after it was created.")
        }
        return self.observation(row)
    }

    func observation(_ row: ZFSList.Volume) -> ProvidedVolume {
        let device = Self.devicePath(of: row.name)
        let hasDevice = self.deviceWaiter.devices.sizeOfBlockDevice(at: device) != nil
        let usableKiB = row.volumeSizeBytes / 1024
        // A thick zvol reserves its whole size; a sparse one takes what has been written.
        let allocatedKiB =
            self.kind == .zfsThin ? (row.referencedBytes + 1023) / 1024 : max(usableKiB, row.referencedBytes / 1024)
        return ProvidedVolume(devicePath: hasDevice ? device : nil, allocatedKiB: allocatedKiB, usableKiB: usableKiB)
    }

    /// Runs `zfs ARGUMENTS`; a missing pool dataset becomes ``StorageError/Code/poolMissing``.
    func zfs(
        _ arguments: [String],
        _ what: String,
        pool: PoolConfig
    ) async throws(StorageError) -> CommandResult {
        do {
            return try await self.runner.runChecked(Command("zfs", arguments, timeout: self.commandTimeout))
        } catch {
            if error.code == .nonZeroExit, error.stderrTail.contains("dataset does not exist"),
                arguments.first == "list" || arguments.first == "get"
            {
                throw StorageError(
                    .poolMissing,
                    "Storage pool '\(pool.name)': ZFS dataset '\(pool.backingName)' does not exist.",
                    commandError: error
                )
            }
            throw .command(what, error)
        }
    }

    /// The block size named by `-b SIZE`, `-bSIZE` or `-o volblocksize=SIZE` in the create options.
    static func blockSizeKiB(in options: [String]) -> Int64 {
        var value: String?
        for (index, word) in options.enumerated() {
            if word == "-b", index + 1 < options.count {
                value = options[index + 1]
            } else if word.hasPrefix("-b"), word.count > 2 {
                value = String(word.dropFirst(2))
            } else if word.hasPrefix("volblocksize=") {
                value = String(word.dropFirst("volblocksize=".count))
            }
        }
        guard let value, let bytes = Self.parseSize(value), bytes >= 512 else { return Self.defaultBlockSizeKiB }
        return max(1, bytes / 1024)
    }

    /// Parses a ZFS size such as `16k`, `16K`, `16KB`, `131072`.
    private static func parseSize(_ text: String) -> Int64? {
        var digits = Substring(text.uppercased())
        if digits.hasSuffix("B"), digits.count > 1, !(digits.dropLast().last?.isNumber ?? true) {
            digits = digits.dropLast()
        }
        let shifts: [Character: Int64] = ["K": 10, "M": 20]
        if let last = digits.last, let shift = shifts[last] {
            guard let number = Int64(digits.dropLast()) else { return nil }
            return number << shift
        }
        return Int64(digits)
    }
}
