import DepotModel

/// LVM snapshots, as LINSTOR makes them: thin snapshot LVs in a thin pool, copy-on-write snapshot
/// LVs in a thick volume group (for clones only: users snapshot thin pools).
///
/// Snapshot `S` of volume `id` is the LV `<vg>/<id>_S` (`drbdpool/SharedData_00000_Snap1`). A thin
/// one is made with `lvcreate --snapshot --setactivationskip y`: it needs no size, and the skip flag
/// keeps it inactive (no device, no udev probe) until it is needed. A thick one is a copy-on-write LV
/// as large as its origin (`--extents 100%ORIGIN`), so it cannot overflow however much the origin
/// changes while a clone copies it. The snapshots come from the same `lvs` listing as the volumes.
extension LVMProvider {
    public var supportsSnapshots: Bool { true }

    /// Thin snapshots become volumes; a thick one is copied into a new LV.
    public var restoresFromOwnSnapshots: Bool { self.kind == .lvmThin }

    public func snapshots(in pool: PoolConfig) async throws(StorageError) -> [String: Set<String>] {
        let location = try self.location(of: pool)
        var snapshots: [String: Set<String>] = [:]
        for row in try await self.tool.logicalVolumes(in: location.volumeGroup, pool: pool)
        where !row.isThinPool && row.poolLV == (location.thinPool ?? "") {
            for reading in SnapshotNames.readings(of: row.name) {
                snapshots[reading.backing, default: []].insert(reading.snapshot)
            }
        }
        return snapshots
    }

    public func createSnapshot(_ name: String, of id: VolumeID, in pool: PoolConfig) async throws(StorageError) {
        try self.requireSnapshots(in: pool)
        try SnapshotNames.validate(name)
        try id.validate()
        let location = try self.location(of: pool)
        let snapshotLV = SnapshotNames.objectName(name, of: id)
        if try await self.tool.logicalVolume(snapshotLV, in: location.volumeGroup, pool: pool) != nil { return }
        guard try await self.logicalVolume(id, location, pool: pool) != nil else {
            throw StorageError(
                .volumeMissing,
                "Cannot take snapshot '\(name)' of \(id) in pool '\(pool.name)': LV \(location.volumeGroup)/\(id.backingName) does not exist."
            )
        }
        try await self.takeSnapshot(snapshotLV, of: id, location)
    }

    public func deleteSnapshot(_ name: String, of id: VolumeID, in pool: PoolConfig) async throws(StorageError) {
        try self.requireSnapshots(in: pool)
        try SnapshotNames.validate(name)
        try id.validate()
        let location = try self.location(of: pool)
        let snapshotLV = SnapshotNames.objectName(name, of: id)
        guard try await self.tool.logicalVolume(snapshotLV, in: location.volumeGroup, pool: pool) != nil else { return }
        let qualified = "\(location.volumeGroup)/\(snapshotLV)"
        try await self.tool.runChecked("lvremove", ["--force", qualified], "Removing snapshot LV \(qualified)")
    }

    /// A thin snapshot of the snapshot LV (LINSTOR's restore), made without the skip flag so the new
    /// volume activates like any other, then grown and activated as ``create(_:sizeKiB:in:)`` does.
    public func restore(
        _ id: VolumeID,
        from snapshot: String,
        of source: VolumeID,
        sizeKiB: Int64,
        in pool: PoolConfig
    ) async throws(StorageError) -> ProvidedVolume {
        try self.checkRestore(id, from: snapshot, of: source, in: pool)
        guard self.restoresFromOwnSnapshots else { throw .snapshotsNotSupported(pool, self.kind) }
        let location = try self.location(of: pool)
        let wantedKiB = SizeAlignment.roundUp(sizeKiB, toMultipleOf: try await self.extentKiB(of: location.volumeGroup, pool: pool))
        let name = "\(location.volumeGroup)/\(id.backingName)"
        var sizeBytes: Int64
        if let existing = try await self.logicalVolume(id, location, pool: pool) {
            sizeBytes = existing.sizeBytes
        } else {
            let snapshotLV = SnapshotNames.objectName(snapshot, of: source)
            let origin = try await self.snapshotRow(snapshot, of: source, location, pool: pool)
            try await self.tool.runChecked(
                "lvcreate",
                ["--snapshot", "--setactivationskip", "n", "--name", id.backingName, "\(location.volumeGroup)/\(snapshotLV)"],
                "Restoring LV \(name) from snapshot LV \(location.volumeGroup)/\(snapshotLV)"
            )
            sizeBytes = origin.sizeBytes
        }
        if sizeBytes < wantedKiB * 1024 {
            try await self.tool.runChecked("lvresize", ["--size", "\(wantedKiB)k", name], "Growing LV \(name) to \(wantedKiB) KiB")
            sizeBytes = wantedKiB * 1024
        }
        return try await self.activateAndObserve(id, location, wantedKiB: sizeBytes / 1024, pool: pool)
    }

    /// LINSTOR's rollback: deactivate the volume, merge the snapshot into it (`lvconvert --merge`,
    /// which uses the snapshot up), take the snapshot again from the merged volume, and activate.
    /// The volume is deactivated first because LVM merges into an inactive thin LV at once, so the
    /// snapshot taken again holds the merged content. Should the satellite die between the merge and
    /// the new snapshot, the volume is rolled back but the snapshot is gone (a repeated rollback
    /// reports ``StorageError/Code/snapshotMissing``), as with LINSTOR.
    public func rollback(_ id: VolumeID, to snapshot: String, in pool: PoolConfig) async throws(StorageError) -> ProvidedVolume {
        try self.requireUserSnapshots(in: pool)
        try SnapshotNames.validate(snapshot)
        try id.validate()
        let location = try self.location(of: pool)
        let snapshotLV = SnapshotNames.objectName(snapshot, of: id)
        let name = "\(location.volumeGroup)/\(id.backingName)"
        guard let volume = try await self.logicalVolume(id, location, pool: pool) else {
            throw StorageError(.volumeMissing, "Cannot roll back \(id) in pool '\(pool.name)': LV \(name) does not exist.")
        }
        let origin = try await self.snapshotRow(snapshot, of: id, location, pool: pool)
        let device = Self.devicePath(volume)
        if !self.isMetadataOnly, self.deviceWaiter.devices.isBlockDeviceInUse(at: device) {
            throw StorageError(.volumeInUse, "Cannot roll back \(id) in pool '\(pool.name)': \(device) is mounted or held open.")
        }
        try await self.tool.runChecked("lvchange", ["--activate", "n", name], "Deactivating LV \(name)")
        let qualified = "\(location.volumeGroup)/\(snapshotLV)"
        try await self.tool.runChecked("lvconvert", ["--merge", qualified], "Merging snapshot LV \(qualified) into \(name)")
        try await self.takeSnapshot(snapshotLV, of: id, location)
        return try await self.activateAndObserve(id, location, wantedKiB: origin.sizeBytes / 1024, pool: pool)
    }

    /// Activates the snapshot LV (a thin one skips activation otherwise) and waits for its device.
    public func openSnapshot(_ snapshot: String, of id: VolumeID, in pool: PoolConfig) async throws(StorageError) -> SnapshotDevice {
        try self.requireSnapshots(in: pool)
        try SnapshotNames.validate(snapshot)
        try id.validate()
        let location = try self.location(of: pool)
        let qualified = "\(location.volumeGroup)/\(SnapshotNames.objectName(snapshot, of: id))"
        let row = try await self.snapshotRow(snapshot, of: id, location, pool: pool)
        try await self.tool.runChecked("lvchange", ["--activate", "y", "--ignoreactivationskip", qualified], "Activating snapshot LV \(qualified)")
        let device = Self.devicePath(row)
        if !self.isMetadataOnly {
            try await self.deviceWaiter.waitForDevice(at: device, minimumKiB: row.sizeBytes / 1024, timeout: pool.waitTimeout)
        }
        return SnapshotDevice(path: device, sizeBytes: row.sizeBytes)
    }

    /// Deactivates a thin snapshot LV again; a thick one stays active with its origin, as LVM wants.
    public func closeSnapshot(_ snapshot: String, of id: VolumeID, in pool: PoolConfig) async throws(StorageError) {
        try self.requireSnapshots(in: pool)
        try SnapshotNames.validate(snapshot)
        try id.validate()
        let location = try self.location(of: pool)
        guard location.thinPool != nil else { return }
        let qualified = "\(location.volumeGroup)/\(SnapshotNames.objectName(snapshot, of: id))"
        try await self.tool.runChecked("lvchange", ["--activate", "n", qualified], "Deactivating snapshot LV \(qualified)")
    }

    /// The snapshot's LV, which must exist.
    private func snapshotRow(_ snapshot: String, of id: VolumeID, _ location: Location, pool: PoolConfig) async throws(StorageError)
        -> LVMReport.LogicalVolume
    {
        let snapshotLV = SnapshotNames.objectName(snapshot, of: id)
        guard let row = try await self.tool.logicalVolume(snapshotLV, in: location.volumeGroup, pool: pool) else {
            throw StorageError(
                .snapshotMissing, "Snapshot '\(snapshot)' of \(id) does not exist in pool '\(pool.name)' (no LV \(location.volumeGroup)/\(snapshotLV)).")
        }
        return row
    }

    /// `lvcreate --snapshot --setactivationskip y --name <snapshot LV> <vg>/<volume>` in a thin pool;
    /// `lvcreate --snapshot --extents 100%ORIGIN --name <snapshot LV> <vg>/<volume>` in a thick VG.
    private func takeSnapshot(_ snapshotLV: String, of id: VolumeID, _ location: Location) async throws(StorageError) {
        let origin = "\(location.volumeGroup)/\(id.backingName)"
        let size = location.thinPool == nil ? ["--extents", "100%ORIGIN"] : ["--setactivationskip", "y"]
        try await self.tool.runChecked(
            "lvcreate",
            ["--snapshot"] + size + ["--name", snapshotLV, origin],
            "Taking snapshot LV \(location.volumeGroup)/\(snapshotLV) of \(origin)"
        )
    }
}
