/// What a provider observed of one volume.
public struct ProvidedVolume: Sendable, Hashable, Codable {
    /// The block device to use, or `nil` when the volume has none yet (detached image, inactive LV)
    /// or never has one (DISKLESS).
    public var devicePath: String?
    /// Space the volume takes in the pool (for thin volumes, what is written so far).
    public var allocatedKiB: Int64
    /// The size the volume offers to the layer above.
    public var usableKiB: Int64

    /// Creates an observation.
    public init(devicePath: String?, allocatedKiB: Int64, usableKiB: Int64) {
        self.devicePath = devicePath
        self.allocatedKiB = allocatedKiB
        self.usableKiB = usableKiB
    }
}

/// The space of one storage pool, as `storage-pool list` shows it.
public struct PoolCapacity: Sendable, Hashable, Codable {
    /// Space still available for new volumes.
    public var freeKiB: Int64
    /// The pool's whole size.
    public var totalKiB: Int64

    /// Creates a capacity.
    public init(freeKiB: Int64, totalKiB: Int64) {
        self.freeKiB = freeKiB
        self.totalKiB = totalKiB
    }

    /// What LINSTOR reports for pools without a limit (DISKLESS): `Long.MAX_VALUE` for both.
    public static let unlimited = PoolCapacity(freeKiB: .max, totalKiB: .max)
}
