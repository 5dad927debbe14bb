/// Sizes on the wire are KiB (int64); these are the bounds Depot accepts for a volume.
public enum VolumeSize {
    /// DRBD's largest device (2^40 KiB = 1 PiB); nothing larger is accepted anywhere.
    public static let maximumKiB: Int64 = 1 << 40

    /// Checks a requested net size.
    ///
    /// - Throws: ``DepotError`` `FAIL_INVLD_VLM_SIZE` for sizes below 1 KiB or above ``maximumKiB``.
    public static func validate(_ sizeKiB: Int64) throws(DepotError) {
        guard sizeKiB >= 1 else {
            throw DepotError(
                .failInvalidVolumeSize,
                "Invalid volume size \(sizeKiB) KiB.",
                cause: "A volume must be at least 1 KiB.",
                correction: "Give a positive size in KiB."
            )
        }
        guard sizeKiB <= Self.maximumKiB else {
            throw DepotError(
                .failInvalidVolumeSize,
                "Invalid volume size \(sizeKiB) KiB.",
                cause: "The largest supported volume is \(Self.maximumKiB) KiB (1 PiB).",
                correction: "Give a smaller size."
            )
        }
    }
}
