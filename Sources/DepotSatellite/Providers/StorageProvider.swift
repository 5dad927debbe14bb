public import DepotModel

/// One kind of backing storage (LVM, LVM_THIN, ZFS, ZFS_THIN, FILE, FILE_THIN, DISKLESS) behind one protocol.
///
/// Every operation looks at the real system first and is idempotent, so the reconciler may repeat
/// any of them after a crash or a reconnect:
/// - ``create(_:sizeKiB:in:)`` returns an existing volume of the right size instead of failing,
///   and finishes a half-done earlier create (grows a short volume, attaches a detached image);
/// - ``delete(_:in:)`` succeeds when the volume is already gone;
/// - ``resize(_:sizeKiB:in:)`` does nothing when the volume already has the size.
///
/// Sizes are KiB and are rounded up to the provider's granularity (LVM extent, ZFS volume block,
/// 4 KiB for files). Volumes are never shrunk: asking for less than exists is a
/// ``StorageError/Code/sizeMismatch``.
public protocol StorageProvider: Sendable {
    /// The provider kind this type implements.
    var kind: ProviderKind { get }

    /// The free and total space of `pool`.
    ///
    /// - Throws: ``StorageError`` ``StorageError/Code/poolMissing`` when the VG, thin pool, zpool or
    ///   directory does not exist; ``StorageError/Code/commandFailed`` when a query fails.
    func capacity(of pool: PoolConfig) async throws(StorageError) -> PoolCapacity

    /// Every volume of `pool`, keyed by backing name (``VolumeID/backingName``), from one listing
    /// (one `losetup`, `lvs` or `zfs list`, whatever the pool holds).
    ///
    /// The satellite decides from this what needs work, so the cost of an apply does not grow with
    /// the number of volumes already there. A volume whose device is missing or smaller than its
    /// backing (a detached image, a stale loop size, an inactive LV) has a `nil` device path.
    func inventory(of pool: PoolConfig) async throws(StorageError) -> [String: ProvidedVolume]

    /// What exists of volume `id` in `pool`, or `nil` when nothing does.
    ///
    /// A returned volume with a `nil` ``ProvidedVolume/devicePath`` exists but has no usable device
    /// (a detached image file, an inactive LV); ``create(_:sizeKiB:in:)`` completes it.
    func volume(_ id: VolumeID, in pool: PoolConfig) async throws(StorageError) -> ProvidedVolume?

    /// Creates volume `id` of at least `sizeKiB` in `pool`, or completes and returns an existing one,
    /// and waits until its device exists with that size.
    func create(_ id: VolumeID, sizeKiB: Int64, in pool: PoolConfig) async throws(StorageError) -> ProvidedVolume

    /// Grows volume `id` to at least `sizeKiB`.
    ///
    /// - Throws: ``StorageError/Code/volumeMissing`` when it does not exist and
    ///   ``StorageError/Code/sizeMismatch`` when it is already larger.
    func resize(_ id: VolumeID, sizeKiB: Int64, in pool: PoolConfig) async throws(StorageError) -> ProvidedVolume

    /// Takes volume `id`'s device away and keeps its data (a deactivated resource, LINSTOR's
    /// `INACTIVE`); ``create(_:sizeKiB:in:)`` brings the device back. Succeeds when there is no device.
    ///
    /// - Throws: ``StorageError/Code/volumeInUse`` when its device is mounted or held open.
    func deactivate(_ id: VolumeID, in pool: PoolConfig) async throws(StorageError)

    /// Removes volume `id` and its device; succeeds when it is already gone.
    ///
    /// - Throws: ``StorageError/Code/volumeInUse`` when its device is mounted or held open.
    func delete(_ id: VolumeID, in pool: PoolConfig) async throws(StorageError)

    /// Removes several volumes of one pool, as few commands as the tool allows.
    ///
    /// - Returns: why each volume that is still there could not be removed; the others are gone.
    func delete(_ ids: [VolumeID], in pool: PoolConfig) async -> [VolumeID: StorageError]

    // MARK: - Snapshots
    //
    // Every snapshot method of a provider that cannot take snapshots throws
    // ``StorageError/Code/snapshotsNotSupported`` before it runs anything, and every one checks the
    // snapshot name against LINSTOR's rules (``NameKind/snapshot``) before a command or path sees it.

    /// Whether this provider can take snapshots at all: every kind with storage (DISKLESS has no
    /// data). Users snapshot only thin kinds (``ProviderKind/supportsSnapshots``, LINSTOR's rule,
    /// which the storage layer enforces); a clone also snapshots thick LVM (a copy-on-write LV) and
    /// FILE (a copy of the image).
    var supportsSnapshots: Bool { get }

    /// Every snapshot in `pool`, keyed by the volume's backing name (``VolumeID/backingName``),
    /// valued by the set of snapshot names, from ONE listing (`lvs`, `zfs list -t snapshot`, a
    /// directory scan), never one per volume, so that reporting snapshots costs the same however
    /// many volumes the pool holds. Snapshots outlive their volumes: one whose volume is gone is
    /// still listed under that volume's backing name. Empty for providers without snapshots.
    func snapshots(in pool: PoolConfig) async throws(StorageError) -> [String: Set<String>]

    /// Takes snapshot `name` of volume `id`; succeeds (does nothing) when it exists already, so the
    /// reconciler may repeat it. The caller suspends I/O above the volume meanwhile.
    ///
    /// - Throws: ``StorageError/Code/volumeMissing`` when the volume does not exist.
    func createSnapshot(_ name: String, of id: VolumeID, in pool: PoolConfig) async throws(StorageError)

    /// Removes snapshot `name` of `id`; succeeds when it is already gone.
    func deleteSnapshot(_ name: String, of id: VolumeID, in pool: PoolConfig) async throws(StorageError)

    /// Creates volume `id` as a copy of snapshot `snapshot` of volume `source` (which itself may be
    /// gone), grown to at least `sizeKiB`, and waits for its device like ``create(_:sizeKiB:in:)``.
    /// When `id` exists already it is completed and returned as it is (a repeated restore).
    ///
    /// - Throws: ``StorageError/Code/snapshotMissing`` when the snapshot does not exist.
    func restore(
        _ id: VolumeID,
        from snapshot: String,
        of source: VolumeID,
        sizeKiB: Int64,
        in pool: PoolConfig
    ) async throws(StorageError) -> ProvidedVolume

    /// Puts volume `id`'s content (and size) back to snapshot `snapshot`; the snapshot stays. The
    /// caller has made sure nothing holds the device (DRBD is down). Returns the volume with its
    /// device, whose path may differ from before (a FILE image is attached again).
    ///
    /// - Throws: ``StorageError/Code/volumeMissing``, ``StorageError/Code/snapshotMissing``, or
    ///   ``StorageError/Code/volumeInUse`` when the device is held after all.
    func rollback(_ id: VolumeID, to snapshot: String, in pool: PoolConfig) async throws(StorageError) -> ProvidedVolume

    /// Whether ``restore(_:from:of:sizeKiB:in:)`` makes a volume from a snapshot in its own pool.
    /// Thick LVM cannot: its snapshots are copy-on-write LVs that only a clone takes, and their data
    /// is copied into a new volume (``openSnapshot(_:of:in:)``).
    var restoresFromOwnSnapshots: Bool { get }

    /// Makes snapshot `snapshot` of `id` readable as a block device or file, for a copy of its data
    /// into a volume of another pool (a clone or restore into another pool, or thick LVM), and
    /// returns its path and size. ``closeSnapshot(_:of:in:)`` undoes what this did.
    ///
    /// - Throws: ``StorageError/Code/snapshotMissing`` when the snapshot does not exist.
    func openSnapshot(_ snapshot: String, of id: VolumeID, in pool: PoolConfig) async throws(StorageError) -> SnapshotDevice

    /// Takes away what ``openSnapshot(_:of:in:)`` made (an activated LV, a visible ZFS snapshot
    /// device); succeeds when there is nothing to take away.
    func closeSnapshot(_ snapshot: String, of id: VolumeID, in pool: PoolConfig) async throws(StorageError)
}

/// A snapshot's data, readable at ``path``: what a copy into another pool reads.
public struct SnapshotDevice: Sendable, Hashable {
    /// A block device or an image file.
    public var path: String
    /// How many bytes the snapshot holds (its volume's size when it was taken).
    public var sizeBytes: Int64

    public init(path: String, sizeBytes: Int64) {
        self.path = path
        self.sizeBytes = sizeBytes
    }
}

extension StorageProvider {
    public func delete(_ ids: [VolumeID], in pool: PoolConfig) async -> [VolumeID: StorageError] {
        await self.deleteOneByOne(ids, in: pool)
    }

    /// One volume after the other, each failure its own.
    func deleteOneByOne(_ ids: [VolumeID], in pool: PoolConfig) async -> [VolumeID: StorageError] {
        var failures: [VolumeID: StorageError] = [:]
        for id in ids {
            do {
                try await self.delete(id, in: pool)
            } catch {
                failures[id] = error
            }
        }
        return failures
    }

    /// Refuses snapshot work on a provider that cannot take snapshots, before anything runs.
    func requireSnapshots(in pool: PoolConfig) throws(StorageError) {
        guard self.supportsSnapshots else { throw .snapshotsNotSupported(pool, self.kind) }
    }

    /// Refuses what only users' snapshots do (a rollback) on a kind whose snapshots only a clone
    /// takes (thick LVM, FILE), as LINSTOR refuses snapshots there.
    func requireUserSnapshots(in pool: PoolConfig) throws(StorageError) {
        guard self.supportsSnapshots, self.kind.supportsSnapshots else { throw .snapshotsNotSupported(pool, self.kind) }
    }

    /// What every restore checks first: the provider takes snapshots, and every name is safe.
    func checkRestore(_ id: VolumeID, from snapshot: String, of source: VolumeID, in pool: PoolConfig) throws(StorageError) {
        try self.requireSnapshots(in: pool)
        try SnapshotNames.validate(snapshot)
        try id.validate()
        try source.validate()
    }
}

/// Rounds sizes up to a provider's allocation granularity.
enum SizeAlignment {
    /// `kib` rounded up to a multiple of `granularityKiB`.
    static func roundUp(_ kib: Int64, toMultipleOf granularityKiB: Int64) -> Int64 {
        guard granularityKiB > 1 else { return kib }
        let remainder = kib % granularityKiB
        return remainder == 0 ? kib : kib + (granularityKiB - remainder)
    }
}
