import DepotModel

/// FILE and FILE_THIN snapshots: copies of the image file beside it (FILE's only for clones).
///
/// Snapshot `S` of volume `id` is the image `<directory>/<id>_S.img` (LINSTOR's naming), a copy
/// made with `cp --reflink=auto --sparse=always`: it shares blocks with the image on a file system
/// that can (btrfs, XFS), and stays as sparse as the image elsewhere. Restore and rollback copy
/// the other way. Every copy is written to `<target>.partial` and renamed into place, so an image
/// that exists is complete: a crash mid-copy leaves no half snapshot or half volume that a repeated
/// call would take for done. (A `.partial` file left by a crash is overwritten by the next try;
/// it never ends in `.img`, so no listing sees it.)
extension FileProvider {
    public var supportsSnapshots: Bool { true }

    public var restoresFromOwnSnapshots: Bool { true }

    /// The image of snapshot `snapshot` of volume `id`.
    public func snapshotPath(_ snapshot: String, of id: VolumeID, in pool: PoolConfig) -> String {
        "\(self.directory(of: pool))/\(SnapshotNames.objectName(snapshot, of: id)).img"
    }

    public func snapshots(in pool: PoolConfig) async throws(StorageError) -> [String: Set<String>] {
        try self.checkDirectory(of: pool)
        var snapshots: [String: Set<String>] = [:]
        for file in try LocalFileSystem.files(in: self.directory(of: pool), suffix: ".img").keys {
            for reading in SnapshotNames.readings(of: String(file.dropLast(4))) {
                snapshots[reading.backing, default: []].insert(reading.snapshot)
            }
        }
        return snapshots
    }

    public func createSnapshot(_ name: String, of id: VolumeID, in pool: PoolConfig) async throws(StorageError) {
        try self.requireSnapshots(in: pool)
        try SnapshotNames.validate(name)
        try id.validate()
        try self.checkDirectory(of: pool)
        let target = self.snapshotPath(name, of: id, in: pool)
        guard try LocalFileSystem.status(of: target) == nil else { return }
        let image = self.imagePath(of: id, in: pool)
        guard try LocalFileSystem.status(of: image) != nil else {
            throw StorageError(.volumeMissing, "Cannot take snapshot '\(name)' of \(id) in pool '\(pool.name)': \(image) does not exist.")
        }
        try await self.copy(image, to: target, volumeKiB: nil)
    }

    public func deleteSnapshot(_ name: String, of id: VolumeID, in pool: PoolConfig) async throws(StorageError) {
        try self.requireSnapshots(in: pool)
        try SnapshotNames.validate(name)
        try id.validate()
        try self.checkDirectory(of: pool)
        try LocalFileSystem.remove(self.snapshotPath(name, of: id, in: pool))
    }

    public func restore(
        _ id: VolumeID,
        from snapshot: String,
        of source: VolumeID,
        sizeKiB: Int64,
        in pool: PoolConfig
    ) async throws(StorageError) -> ProvidedVolume {
        try self.checkRestore(id, from: snapshot, of: source, in: pool)
        try self.checkDirectory(of: pool)
        let image = self.imagePath(of: id, in: pool)
        let wantedKiB = SizeAlignment.roundUp(sizeKiB, toMultipleOf: Self.granularityKiB)
        if let existing = try LocalFileSystem.status(of: image) {
            // A repeated restore: the copy is complete (it was renamed into place); finish the rest.
            let kib = max(wantedKiB, existing.sizeBytes / 1024)
            if existing.sizeBytes < kib * 1024 { try await self.allocate(image, kib: kib) }
            return try await self.attachAndWait(image, kib: kib, pool: pool)
        }
        let snapshotImage = try self.requireSnapshot(snapshot, of: source, in: pool)
        let kib = try await self.copy(snapshotImage, to: image, volumeKiB: wantedKiB)
        return try await self.attachAndWait(image, kib: kib, pool: pool)
    }

    /// Replaces the image with a copy of the snapshot. The image's loop devices are detached first
    /// (the replaced file would otherwise stay behind them) and the new image is attached to the
    /// same device when it is still free, so DRBD finds its disk where it was.
    public func rollback(_ id: VolumeID, to snapshot: String, in pool: PoolConfig) async throws(StorageError) -> ProvidedVolume {
        try self.requireUserSnapshots(in: pool)
        try SnapshotNames.validate(snapshot)
        try id.validate()
        try self.checkDirectory(of: pool)
        let image = self.imagePath(of: id, in: pool)
        guard try LocalFileSystem.status(of: image) != nil else {
            throw StorageError(.volumeMissing, "Cannot roll back \(id) in pool '\(pool.name)': \(image) does not exist.")
        }
        let snapshotImage = try self.requireSnapshot(snapshot, of: id, in: pool)
        let previous = try await self.loops.attachments(of: image).first
        try await self.detachAll(id, image, in: pool)
        let kib = try await self.copy(snapshotImage, to: image, volumeKiB: 0)
        let device = try await self.loops.attach(image, preferring: previous)
        try await self.deviceWaiter.waitForDevice(at: device, minimumKiB: kib, timeout: pool.waitTimeout)
        return try Self.observation(self.requireStatus(image), device: device)
    }

    /// The snapshot's image itself: a copy reads the file.
    public func openSnapshot(_ snapshot: String, of id: VolumeID, in pool: PoolConfig) async throws(StorageError) -> SnapshotDevice {
        try self.requireSnapshots(in: pool)
        try SnapshotNames.validate(snapshot)
        try id.validate()
        try self.checkDirectory(of: pool)
        let path = try self.requireSnapshot(snapshot, of: id, in: pool)
        return SnapshotDevice(path: path, sizeBytes: try self.requireStatus(path).sizeBytes)
    }

    public func closeSnapshot(_ snapshot: String, of id: VolumeID, in pool: PoolConfig) async throws(StorageError) {
        try self.requireSnapshots(in: pool)
    }

    // MARK: - Steps

    private func requireSnapshot(_ snapshot: String, of id: VolumeID, in pool: PoolConfig) throws(StorageError) -> String {
        let path = self.snapshotPath(snapshot, of: id, in: pool)
        guard try LocalFileSystem.status(of: path) != nil else {
            throw StorageError(.snapshotMissing, "Snapshot '\(snapshot)' of \(id) does not exist in pool '\(pool.name)' (no \(path)).")
        }
        return path
    }

    /// Copies `source` to `target` through `<target>.partial` and renames it into place; returns the
    /// new file's size in KiB. A volume's copy (`volumeKiB` given) is grown to at least that size
    /// and, for FILE, allocated in full as FILE volumes are; a snapshot's stays as sparse as it came.
    @discardableResult
    private func copy(_ source: String, to target: String, volumeKiB: Int64?) async throws(StorageError) -> Int64 {
        let partial = target + ".partial"
        let command = Command(
            "cp",
            ["--reflink=auto", "--sparse=always", "--", source, partial],
            timeout: self.commandTimeout
        )
        do throws(StorageError) {
            do {
                try await self.runner.runChecked(command)
            } catch {
                throw StorageError.command("Copying \(source) to \(partial)", error)
            }
            let copiedKiB = try self.requireStatus(partial).sizeBytes / 1024
            let kib = max(copiedKiB, volumeKiB ?? 0)
            if volumeKiB != nil, self.kind == .file || kib > copiedKiB {
                try await self.allocate(partial, kib: kib)
            }
            try LocalFileSystem.rename(partial, to: target)
            return kib
        } catch {
            try? LocalFileSystem.remove(partial)
            throw error
        }
    }
}
