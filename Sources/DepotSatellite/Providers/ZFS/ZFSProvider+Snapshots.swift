import DepotModel

#if canImport(Glibc)
    import Glibc
#endif

/// ZFS and ZFS_THIN snapshots: ZFS's own, `<pool>/<backing name>@<snapshot>`.
///
/// ZFS ties snapshots to their volume and clones to their snapshot, while LINSTOR's snapshots
/// outlive volumes and restored volumes outlive snapshots. Two renames bridge that:
/// - a volume deleted while it has snapshots is set aside as `<backing name>.deleted-<unix time>`
///   (``delete(_:in:)``): hidden from the inventory, its snapshots still listed and restorable under
///   its backing name; it is destroyed by the first ``deleteSnapshot(_:of:in:)`` in the pool that
///   finds no snapshot left on it;
/// - a snapshot deleted while restored volumes (clones) depend on it is renamed
///   `@<snapshot>.deleted-<unix time>` and marked for deferred destruction (`zfs destroy -d`): ZFS
///   removes it when its last clone goes, and its name is free at once for a new snapshot.
///
/// A `.` never occurs in a LINSTOR resource or snapshot name (only in a sub-volume suffix before
/// `_<volume number>`), so neither renamed name can be taken for a volume's or a snapshot's.
extension ZFSProvider {
    public var supportsSnapshots: Bool { true }

    public var restoresFromOwnSnapshots: Bool { true }

    /// What a set-aside volume's or deferred snapshot's name carries after the original name.
    static let deletedMarker = ".deleted-"

    public func snapshots(in pool: PoolConfig) async throws(StorageError) -> [String: Set<String>] {
        let parent = try self.parentDataset(of: pool)
        var snapshots: [String: Set<String>] = [:]
        for row in try await self.snapshotRows(in: pool) where Self.isListed(row) {
            guard let backing = Self.backingName(ofDataset: row.dataset, parent: parent) else { continue }
            snapshots[backing, default: []].insert(row.name)
        }
        return snapshots
    }

    public func createSnapshot(_ name: String, of id: VolumeID, in pool: PoolConfig) async throws(StorageError) {
        try self.requireSnapshots(in: pool)
        try SnapshotNames.validate(name)
        try id.validate()
        let dataset = try self.dataset(of: id, in: pool)
        let rows = try await self.snapshotRows(in: pool)
        if rows.contains(where: { Self.isListed($0) && $0.dataset == dataset && $0.name == name }) { return }
        do {
            try await self.runner.runChecked(Command("zfs", ["snapshot", "\(dataset)@\(name)"], timeout: self.commandTimeout))
        } catch {
            if error.stderrTail.contains("dataset does not exist") {
                throw StorageError(
                    .volumeMissing,
                    "Cannot take snapshot '\(name)' of \(id) in pool '\(pool.name)': zvol \(dataset) does not exist.",
                    commandError: error
                )
            }
            throw .command("Taking snapshot \(dataset)@\(name)", error)
        }
    }

    /// Destroys the snapshot, or renames it and defers its destruction when clones depend on it,
    /// then destroys set-aside volumes that no snapshot keeps any more.
    public func deleteSnapshot(_ name: String, of id: VolumeID, in pool: PoolConfig) async throws(StorageError) {
        try self.requireSnapshots(in: pool)
        try SnapshotNames.validate(name)
        try id.validate()
        let parent = try self.parentDataset(of: pool)
        var rows = try await self.snapshotRows(in: pool)
        for row in rows where Self.isListed(row) && row.name == name {
            guard Self.backingName(ofDataset: row.dataset, parent: parent) == id.backingName else { continue }
            if try await self.destroySnapshot(row, in: pool) {
                rows.removeAll { $0 == row }
            }
        }
        let kept = Set(rows.map(\.dataset))
        for zvol in try await self.zvols(in: pool) where !kept.contains(zvol.name) {
            guard zvol.name.hasPrefix(parent + "/"),
                Self.deletedVolumeBackingName(String(zvol.name.dropFirst(parent.count + 1))) != nil
            else { continue }
            _ = try await self.zfs(["destroy", zvol.name], "Destroying the deleted zvol \(zvol.name)", pool: pool)
        }
    }

    /// A clone of the snapshot (of the live volume or of a set-aside one), grown to `sizeKiB`.
    public func restore(
        _ id: VolumeID,
        from snapshot: String,
        of source: VolumeID,
        sizeKiB: Int64,
        in pool: PoolConfig
    ) async throws(StorageError) -> ProvidedVolume {
        try self.checkRestore(id, from: snapshot, of: source, in: pool)
        let dataset = try self.dataset(of: id, in: pool)
        if try await self.zvol(id, in: pool) == nil {
            let origin = try await self.snapshotRow(snapshot, of: source, in: pool)
            let snapshotName = "\(origin.dataset)@\(origin.name)"
            _ = try await self.zfs(["clone", snapshotName, dataset], "Restoring zvol \(dataset) from \(snapshotName)", pool: pool)
        }
        guard let row = try await self.zvol(id, in: pool) else {
            throw StorageError(.volumeMissing, "Zvol \(dataset) disappeared right after it was restored.")
        }
        let wantedKiB = SizeAlignment.roundUp(sizeKiB, toMultipleOf: max(1, row.blockSizeBytes / 1024))
        if row.volumeSizeBytes < wantedKiB * 1024 {
            _ = try await self.zfs(["set", "volsize=\(wantedKiB)k", dataset], "Growing zvol \(dataset) to \(wantedKiB) KiB", pool: pool)
        }
        return try await self.waitAndObserve(
            id,
            dataset: dataset,
            wantedKiB: max(wantedKiB, row.volumeSizeBytes / 1024),
            pool: pool
        )
    }

    /// Makes the snapshot's device visible (`snapdev=visible` on its zvol) and waits for it.
    public func openSnapshot(_ snapshot: String, of id: VolumeID, in pool: PoolConfig) async throws(StorageError) -> SnapshotDevice {
        try self.requireSnapshots(in: pool)
        try SnapshotNames.validate(snapshot)
        try id.validate()
        let origin = try await self.snapshotRow(snapshot, of: id, in: pool)
        _ = try await self.zfs(["set", "snapdev=visible", origin.dataset], "Showing the snapshot devices of zvol \(origin.dataset)", pool: pool)
        let device = Self.devicePath(of: "\(origin.dataset)@\(origin.name)")
        let bytes = try await self.deviceWaiter.waitForDevice(at: device, minimumKiB: 0, timeout: pool.waitTimeout)
        return SnapshotDevice(path: device, sizeBytes: bytes)
    }

    /// Hides the snapshot devices of the zvol again (`zfs inherit snapdev`).
    public func closeSnapshot(_ snapshot: String, of id: VolumeID, in pool: PoolConfig) async throws(StorageError) {
        try self.requireSnapshots(in: pool)
        try SnapshotNames.validate(snapshot)
        try id.validate()
        let origin = try await self.snapshotRow(snapshot, of: id, in: pool)
        _ = try await self.zfs(["inherit", "snapdev", origin.dataset], "Hiding the snapshot devices of zvol \(origin.dataset)", pool: pool)
    }

    /// The snapshot of the live volume, else of a set-aside one with its backing name.
    private func snapshotRow(_ snapshot: String, of source: VolumeID, in pool: PoolConfig) async throws(StorageError) -> ZFSList.Snapshot {
        let parent = try self.parentDataset(of: pool)
        let live = try self.dataset(of: source, in: pool)
        let origin = try await self.snapshotRows(in: pool)
            .filter { Self.isListed($0) && $0.name == snapshot && Self.backingName(ofDataset: $0.dataset, parent: parent) == source.backingName }
            .min { ($0.dataset == live ? 0 : 1, $0.dataset) < ($1.dataset == live ? 0 : 1, $1.dataset) }
        guard let origin else {
            throw StorageError(.snapshotMissing, "Snapshot '\(snapshot)' of \(source) does not exist in pool '\(pool.name)'.")
        }
        return origin
    }

    /// `zfs rollback`, without `-r`: a snapshot newer than the target would be destroyed, and
    /// LINSTOR's snapshots are the user's to delete, so the rollback is refused then.
    public func rollback(_ id: VolumeID, to snapshot: String, in pool: PoolConfig) async throws(StorageError) -> ProvidedVolume {
        try self.requireUserSnapshots(in: pool)
        try SnapshotNames.validate(snapshot)
        try id.validate()
        let dataset = try self.dataset(of: id, in: pool)
        guard try await self.zvol(id, in: pool) != nil else {
            throw StorageError(.volumeMissing, "Cannot roll back \(id) in pool '\(pool.name)': zvol \(dataset) does not exist.")
        }
        let rows = try await self.snapshotRows(in: pool)
        guard rows.contains(where: { Self.isListed($0) && $0.dataset == dataset && $0.name == snapshot }) else {
            throw StorageError(.snapshotMissing, "Snapshot '\(snapshot)' of \(id) does not exist in pool '\(pool.name)'.")
        }
        let device = Self.devicePath(of: dataset)
        if self.deviceWaiter.devices.isBlockDeviceInUse(at: device) {
            throw StorageError(.volumeInUse, "Cannot roll back \(id) in pool '\(pool.name)': \(device) is mounted or held open.")
        }
        do {
            try await self.runner.runChecked(Command("zfs", ["rollback", "\(dataset)@\(snapshot)"], timeout: self.commandTimeout))
        } catch {
            if error.stderrTail.contains("more recent snapshots") {
                throw StorageError(
                    .commandFailed,
                    "Cannot roll back \(id) in pool '\(pool.name)' to snapshot '\(snapshot)': newer snapshots of \(dataset) exist; delete them first.",
                    commandError: error
                )
            }
            throw .command("Rolling back \(dataset) to \(dataset)@\(snapshot)", error)
        }
        guard let row = try await self.zvol(id, in: pool) else {
            throw StorageError(.volumeMissing, "Zvol \(dataset) disappeared during its rollback.")
        }
        return try await self.waitAndObserve(id, dataset: dataset, wantedKiB: row.volumeSizeBytes / 1024, pool: pool)
    }

    // MARK: - Steps

    /// Renames `dataset` (a zvol that still has snapshots) out of the volumes' way.
    func setAsideDeletedVolume(_ dataset: String, in pool: PoolConfig) async throws(StorageError) {
        let target = dataset + Self.deletedMarker + String(Self.unixTime())
        _ = try await self.zfs(["rename", dataset, target], "Setting the deleted zvol \(dataset) aside as \(target)", pool: pool)
    }

    /// The backing name of a set-aside volume `<backing name>.deleted-<unix time>`; `nil` for others.
    static func deletedVolumeBackingName(_ name: String) -> String? {
        guard let dot = name.lastIndex(of: "."), name[dot...].hasPrefix(Self.deletedMarker) else { return nil }
        let time = name[dot...].dropFirst(Self.deletedMarker.count)
        let backing = name[..<dot]
        guard !time.isEmpty, time.allSatisfy({ $0.isASCII && $0.isNumber }), SnapshotNames.isBackingName(backing) else {
            return nil
        }
        return String(backing)
    }

    /// Every snapshot of the pool's zvols, from one `zfs list` (depth 2: the pool dataset's
    /// children and their snapshots).
    private func snapshotRows(in pool: PoolConfig) async throws(StorageError) -> [ZFSList.Snapshot] {
        let parent = try self.parentDataset(of: pool)
        let result = try await self.zfs(
            ["list", "-H", "-p", "-d", "2", "-t", "snapshot", "-o", ZFSList.snapshotFields, parent],
            "Listing the snapshots of '\(parent)'",
            pool: pool
        )
        return try ZFSList.snapshots(result.stdout)
    }

    /// Whether a snapshot counts as one: not marked for destruction, and named by LINSTOR's rules
    /// (a deferred one's `.deleted-` name never is).
    private static func isListed(_ row: ZFSList.Snapshot) -> Bool {
        !row.isDeferred && (try? SnapshotNames.validate(row.name)) != nil
    }

    /// The backing name a snapshotted dataset stands for: a child of the pool's dataset, live or set aside.
    private static func backingName(ofDataset dataset: String, parent: String) -> String? {
        guard dataset.hasPrefix(parent + "/") else { return nil }
        let child = String(dataset.dropFirst(parent.count + 1))
        guard !child.contains("/") else { return nil }
        return Self.deletedVolumeBackingName(child) ?? child
    }

    /// Destroys one snapshot; returns `false` when clones depend on it and its destruction was
    /// deferred under a `.deleted-` name instead.
    private func destroySnapshot(_ row: ZFSList.Snapshot, in pool: PoolConfig) async throws(StorageError) -> Bool {
        let snapshot = "\(row.dataset)@\(row.name)"
        do {
            try await self.runner.runChecked(Command("zfs", ["destroy", snapshot], timeout: self.commandTimeout))
            return true
        } catch {
            guard error.stderrTail.contains("dependent clones") else { throw .command("Destroying snapshot \(snapshot)", error) }
        }
        let hidden = "\(row.dataset)@\(row.name)\(Self.deletedMarker)\(Self.unixTime())"
        _ = try await self.zfs(["rename", snapshot, hidden], "Renaming snapshot \(snapshot) with clones to \(hidden)", pool: pool)
        _ = try await self.zfs(["destroy", "-d", hidden], "Marking snapshot \(hidden) for deferred destruction", pool: pool)
        return false
    }

    private static func unixTime() -> Int {
        Int(time(nil))
    }
}
