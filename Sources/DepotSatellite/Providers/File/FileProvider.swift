public import DepotModel

/// FILE and FILE_THIN: image files in the pool's directory, attached to loop devices.
///
/// The image of volume `id` is `<directory>/<id>.img` (LINSTOR's naming; snapshots are images
/// beside it, see FileProvider+Snapshots.swift). FILE allocates it with
/// `fallocate`, FILE_THIN makes it sparse with `truncate`; both attach it with
/// `losetup --find --show` and find an existing attachment by the file's inode (`losetup -j`).
/// Sizes are rounded up to 4 KiB.
public struct FileProvider: StorageProvider {
    public let kind: ProviderKind
    let runner: any CommandRunner
    let deviceWaiter: DeviceWaiter
    let commandTimeout: Duration

    /// The size granularity of image files.
    static let granularityKiB: Int64 = 4

    /// Creates a FILE or FILE_THIN provider.
    ///
    /// - Parameters:
    ///   - kind: ``ProviderKind/file`` or ``ProviderKind/fileThin``.
    ///   - runner: Runs `fallocate`, `truncate` and `losetup`.
    ///   - deviceWaiter: Waits for loop devices to show the image's size.
    ///   - commandTimeout: The timeout of each command.
    public init(
        kind: ProviderKind,
        runner: any CommandRunner,
        deviceWaiter: DeviceWaiter = DeviceWaiter(),
        commandTimeout: Duration = Command.defaultTimeout
    ) {
        precondition(kind == .file || kind == .fileThin, "FileProvider serves FILE and FILE_THIN, not \(kind)")
        self.kind = kind
        self.runner = runner
        self.deviceWaiter = deviceWaiter
        self.commandTimeout = commandTimeout
    }

    /// How long a detached loop device may stay open by someone else before the delete fails.
    static let deferredDetachWait: Duration = .seconds(3)

    var loops: LoopDevices { LoopDevices(runner: self.runner, timeout: self.commandTimeout) }

    /// The image file of `id` in `pool`.
    public func imagePath(of id: VolumeID, in pool: PoolConfig) -> String {
        "\(self.directory(of: pool))/\(id.backingName).img"
    }

    func directory(of pool: PoolConfig) -> String {
        pool.backingName.hasSuffix("/") ? String(pool.backingName.dropLast()) : pool.backingName
    }

    public func capacity(of pool: PoolConfig) async throws(StorageError) -> PoolCapacity {
        try self.checkDirectory(of: pool)
        return try LocalFileSystem.capacity(of: pool.backingName)
    }

    public func inventory(of pool: PoolConfig) async throws(StorageError) -> [String: ProvidedVolume] {
        try self.checkDirectory(of: pool)
        let images = try LocalFileSystem.files(in: self.directory(of: pool), suffix: ".img")
        guard !images.isEmpty else { return [:] }
        let loops = try await self.loops.all()
        var devices: [UInt64: [LoopDevices.Entry]] = [:]
        for loop in loops { if let inode = loop.backInode { devices[inode, default: []].append(loop) } }
        var volumes: [String: ProvidedVolume] = [:]
        // Snapshot images share the directory and the `.img` ending; they are not volumes.
        for (file, status) in images where SnapshotNames.readings(of: String(file.dropLast(4))).isEmpty {
            let device = devices[status.inode]?.first { $0.isBacked(by: status) }?.name
            // A loop device that has not taken up a grown file's size needs `losetup -c`: not ready.
            let current = device.flatMap { self.deviceWaiter.devices.sizeOfBlockDevice(at: $0) }.map { $0 >= status.sizeBytes } ?? false
            volumes[String(file.dropLast(4))] = Self.observation(status, device: current ? device : nil)
        }
        return volumes
    }

    public func volume(_ id: VolumeID, in pool: PoolConfig) async throws(StorageError) -> ProvidedVolume? {
        try id.validate()
        try self.checkDirectory(of: pool)
        let path = self.imagePath(of: id, in: pool)
        guard let status = try LocalFileSystem.status(of: path) else { return nil }
        let device = try await self.loops.attachments(of: path).first
        return Self.observation(status, device: device)
    }

    public func create(_ id: VolumeID, sizeKiB: Int64, in pool: PoolConfig) async throws(StorageError) -> ProvidedVolume {
        try id.validate()
        try self.checkDirectory(of: pool)
        let path = self.imagePath(of: id, in: pool)
        let wantedKiB = SizeAlignment.roundUp(sizeKiB, toMultipleOf: Self.granularityKiB)
        if let status = try LocalFileSystem.status(of: path) {
            if status.sizeBytes > wantedKiB * 1024 {
                throw StorageError(
                    .sizeMismatch,
                    "Image \(path) exists with \(status.sizeBytes / 1024) KiB, more than the \(wantedKiB) KiB asked for; volumes are never shrunk."
                )
            }
            if status.sizeBytes < wantedKiB * 1024 {
                try await self.allocate(path, kib: wantedKiB)
            }
        } else {
            do {
                try LocalFileSystem.createPrivateFile(path)
                try await self.allocate(path, kib: wantedKiB)
            } catch {
                // Leave nothing half-made (fallocate fails on a full file system after the file exists).
                try? LocalFileSystem.remove(path)
                throw error
            }
        }
        return try await self.attachAndWait(path, kib: wantedKiB, pool: pool)
    }

    public func resize(_ id: VolumeID, sizeKiB: Int64, in pool: PoolConfig) async throws(StorageError) -> ProvidedVolume {
        try id.validate()
        try self.checkDirectory(of: pool)
        let path = self.imagePath(of: id, in: pool)
        let wantedKiB = SizeAlignment.roundUp(sizeKiB, toMultipleOf: Self.granularityKiB)
        guard let status = try LocalFileSystem.status(of: path) else {
            throw StorageError(.volumeMissing, "Cannot resize \(id) in pool '\(pool.name)': \(path) does not exist.")
        }
        if status.sizeBytes > wantedKiB * 1024 {
            throw StorageError(
                .sizeMismatch,
                "Cannot resize \(path) from \(status.sizeBytes / 1024) KiB to \(wantedKiB) KiB; volumes are never shrunk."
            )
        }
        if status.sizeBytes < wantedKiB * 1024 {
            try await self.allocate(path, kib: wantedKiB)
        }
        guard let device = try await self.loops.attachments(of: path).first else {
            return try Self.observation(self.requireStatus(path), device: nil)
        }
        try await self.loops.refreshCapacity(of: device)
        try await self.deviceWaiter.waitForDevice(at: device, minimumKiB: wantedKiB, timeout: pool.waitTimeout)
        return try Self.observation(self.requireStatus(path), device: device)
    }

    /// Detaches the image's loop devices; the image file stays.
    public func deactivate(_ id: VolumeID, in pool: PoolConfig) async throws(StorageError) {
        try id.validate()
        try self.checkDirectory(of: pool)
        let path = self.imagePath(of: id, in: pool)
        guard try LocalFileSystem.status(of: path) != nil else { return }
        try await self.detachAll(id, path, in: pool)
    }

    public func delete(_ id: VolumeID, in pool: PoolConfig) async throws(StorageError) {
        try id.validate()
        try self.checkDirectory(of: pool)
        let path = self.imagePath(of: id, in: pool)
        guard try LocalFileSystem.status(of: path) != nil else { return }
        try await self.detachAll(id, path, in: pool)
        try LocalFileSystem.remove(path)
    }

    /// Detaches every loop device of the image, and waits until the kernel really let them go.
    func detachAll(_ id: VolumeID, _ path: String, in pool: PoolConfig) async throws(StorageError) {
        for device in try await self.loops.attachments(of: path) {
            if self.deviceWaiter.devices.isBlockDeviceInUse(at: device) {
                throw StorageError(
                    .volumeInUse,
                    "Volume \(id) in pool '\(pool.name)' is in use: \(device) (backed by \(path)) is mounted or held open."
                )
            }
            try await self.loops.detach(device)
        }
        // The kernel defers detaching a loop device that is still open ("autoclear"); the file
        // must stay until it is really free. Openers that only look (udev's probe, drbdmeta, lsblk)
        // let go within moments, so wait a little before calling the device in use.
        var stillAttached = try await self.loops.attachments(of: path)
        let deadline = ContinuousClock.now + Self.deferredDetachWait
        while !stillAttached.isEmpty, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(100))
            stillAttached = try await self.loops.attachments(of: path)
        }
        if let device = stillAttached.first {
            throw StorageError(
                .volumeInUse,
                "Volume \(id) in pool '\(pool.name)' is in use: \(device) (backed by \(path)) is still open and was not detached."
            )
        }
    }

    // MARK: - Steps

    /// Gives the image file `kib` KiB: allocated (FILE) or sparse (FILE_THIN). Grows an existing file.
    func allocate(_ path: String, kib: Int64) async throws(StorageError) {
        let bytes = String(kib * 1024)
        let command =
            self.kind == .file
            ? Command("fallocate", ["--length", bytes, path], timeout: self.commandTimeout)
            : Command("truncate", ["--size", bytes, path], timeout: self.commandTimeout)
        do {
            try await self.runner.runChecked(command)
        } catch {
            throw .command("Allocating \(kib) KiB for \(path)", error)
        }
    }

    /// Attaches the image unless it is attached, refreshes a stale loop size, and waits for the device.
    func attachAndWait(
        _ path: String,
        kib: Int64,
        pool: PoolConfig
    ) async throws(StorageError) -> ProvidedVolume {
        let device: String
        if let existing = try await self.loops.attachments(of: path).first {
            device = existing
            if let size = self.deviceWaiter.devices.sizeOfBlockDevice(at: device), size < kib * 1024 {
                try await self.loops.refreshCapacity(of: device)
            }
        } else {
            device = try await self.loops.attach(path)
        }
        try await self.deviceWaiter.waitForDevice(at: device, minimumKiB: kib, timeout: pool.waitTimeout)
        return try Self.observation(self.requireStatus(path), device: device)
    }

    func requireStatus(_ path: String) throws(StorageError) -> LocalFileSystem.FileStatus {
        guard let status = try LocalFileSystem.status(of: path) else {
            throw StorageError(.volumeMissing, "\(path) disappeared while it was being set up.")
        }
        return status
    }

    func checkDirectory(of pool: PoolConfig) throws(StorageError) {
        guard !pool.backingName.isEmpty, pool.backingName.hasPrefix("/") else {
            throw StorageError(
                .invalidConfiguration,
                "Storage pool '\(pool.name)': \(PoolConfig.PropertyKey.poolName) must be an absolute directory, not '\(pool.backingName)'."
            )
        }
        guard LocalFileSystem.isDirectory(pool.backingName) else {
            throw StorageError(
                .poolMissing,
                "Storage pool '\(pool.name)': directory \(pool.backingName) does not exist."
            )
        }
    }

    static func observation(_ status: LocalFileSystem.FileStatus, device: String?) -> ProvidedVolume {
        ProvidedVolume(
            devicePath: device,
            allocatedKiB: (status.allocatedBytes + 1023) / 1024,
            usableKiB: status.sizeBytes / 1024
        )
    }
}
