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
