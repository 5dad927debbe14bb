/// Why a DRBD metadata size cannot be computed.
///
/// These are the cases in which `drbdmeta create-md` would refuse (or abort on) the device, so the
/// controller can reject a request before any storage is allocated.
public enum DRBDMetadataError: Error, Sendable, Hashable, CustomStringConvertible {
    /// DRBD's on-disk format has room for 1...31 peer bitmaps.
    case invalidPeerSlots(Int)
    /// drbdmeta only accepts an activity log of whole 4 KiB blocks, 32 KiB...32 MiB in total.
    case invalidActivityLog(stripes: Int, stripeSizeKiB: Int64)
    /// One bitmap bit covers a power of two of 4 KiB...1 MiB.
    case invalidBitmapBlockSize(kiB: Int64)
    /// Sizes are counts of KiB; a negative one is always a caller's bug or a corrupt request.
    case negativeSize(kiB: Int64)
    /// The device is smaller than drbdmeta accepts for a metadata device.
    case sizeTooSmall(kiB: Int64, minimumKiB: Int64)
    /// DRBD replicates at most 2^40 KiB (1 PiB) per device; `kiB` is the size that would be needed.
    case sizeTooLarge(kiB: Int64, maximumKiB: Int64)

    public var description: String {
        switch self {
        case .invalidPeerSlots(let slots):
            return "invalid number of DRBD peer slots \(slots): must be "
                + "\(DRBDMetadataLayout.peerSlotRange.lowerBound)...\(DRBDMetadataLayout.peerSlotRange.upperBound)"
        case .invalidActivityLog(let stripes, let stripeSizeKiB):
            return "invalid DRBD activity log of \(stripes) stripe(s) of \(stripeSizeKiB) KiB: the stripe size "
                + "must be a multiple of 4 KiB and the whole log "
                + "\(DRBDMetadataLayout.activityLogSizeRangeKiB.lowerBound)"
                + "...\(DRBDMetadataLayout.activityLogSizeRangeKiB.upperBound) KiB"
        case .invalidBitmapBlockSize(let kiB):
            return "invalid DRBD bitmap block size \(kiB) KiB: must be a power of two from "
                + "\(DRBDMetadataLayout.bitmapBlockSizeRangeKiB.lowerBound) to "
                + "\(DRBDMetadataLayout.bitmapBlockSizeRangeKiB.upperBound) KiB"
        case .negativeSize(let kiB):
            return "invalid size \(kiB) KiB: sizes cannot be negative"
        case .sizeTooSmall(let kiB, let minimumKiB):
            return "device of \(kiB) KiB is too small for DRBD metadata: the minimum is \(minimumKiB) KiB"
        case .sizeTooLarge(let kiB, let maximumKiB):
            return "DRBD device of \(kiB) KiB exceeds DRBD's maximum device size of \(maximumKiB) KiB"
        }
    }
}

/// The shape of DRBD 9 (v09) metadata for one volume, and the size arithmetic that follows from it.
///
/// The controller must allocate backing storage whose *usable* size after DRBD's metadata is at least
/// the size the user asked for, and the satellite must know what `create-md` will leave usable. The
/// arithmetic mirrors drbdmeta (drbd-utils) exactly, not only LINSTOR's approximation of it, because a
/// device that is 4 KiB too small fails `create-md` or silently shrinks the replicated volume. The
/// table in `Tests/DepotModelTests/Fixtures/drbd-md-sizes.tsv` was produced by the real drbdmeta.
///
/// Internal metadata sits at the end of the backing device:
/// `[data][bitmap][activity log][4 KiB superblock]`, where the superblock occupies the last whole 4 KiB
/// block and the bitmap is sized to cover the *whole* backing device (metadata included).
public struct DRBDMetadataLayout: Sendable, Hashable {
    /// drbdmeta refuses devices below 68 KiB: it reads that much to look for existing file systems.
    public static let minimumGrossKiB: Int64 = 68
    /// DRBD's limit for one replicated device (1 PiB); drbdmeta asserts it when sizing the bitmap.
    public static let maximumDeviceKiB: Int64 = 1 << 40
    /// The v09 superblock has 32 node slots, one of which is the local node.
    public static let peerSlotRange: ClosedRange<Int> = 1...31
    /// LINSTOR's default (`PeerSlotsNewResource`), kept so that sizes match a LINSTOR cluster's.
    public static let defaultPeerSlots = 7
    /// drbdmeta's bounds for stripes × stripe size; DRBD's default log is 1 × 32 KiB.
    public static let activityLogSizeRangeKiB: ClosedRange<Int64> = 32...(32 * 1024)
    /// Bitmap granularity DRBD supports (larger blocks shrink the bitmap, coarsen resyncs).
    public static let bitmapBlockSizeRangeKiB: ClosedRange<Int64> = 4...1024

    /// The superblock is one 4 KiB block.
    static let superblockKiB: Int64 = 4
    /// drbdmeta does all metadata I/O in 4 KiB blocks, so every area is a whole number of them.
    static let blockKiB: Int64 = 4
    /// The smallest external metadata volume LINSTOR allocates, so that small volumes can still grow.
    static let minimumExternalMetadataKiB: Int64 = 1024

    /// Each peer slot carries its own bitmap, so the slots reserved now bound how many peers the
    /// volume can ever have without recreating its metadata.
    public let peerSlots: Int
    public let activityLogStripes: Int
    public let activityLogStripeSizeKiB: Int64
    /// Data covered by one bitmap bit.
    public let bitmapBlockSizeKiB: Int64

    /// Validates up front so that every size function below is total over valid sizes.
    public init(
        peerSlots: Int = DRBDMetadataLayout.defaultPeerSlots,
        activityLogStripes: Int = 1,
        activityLogStripeSizeKiB: Int64 = 32,
        bitmapBlockSizeKiB: Int64 = 4
    ) throws(DRBDMetadataError) {
        guard Self.peerSlotRange.contains(peerSlots) else {
            throw .invalidPeerSlots(peerSlots)
        }
        let logError = DRBDMetadataError.invalidActivityLog(
            stripes: activityLogStripes, stripeSizeKiB: activityLogStripeSizeKiB)
        // drbdmeta truncates a stripe size to whole 4 KiB blocks without a word; reject it instead.
        guard activityLogStripes >= 1, activityLogStripeSizeKiB >= Self.blockKiB,
            activityLogStripeSizeKiB % Self.blockKiB == 0
        else { throw logError }
        let (logKiB, overflow) = Int64(activityLogStripes).multipliedReportingOverflow(by: activityLogStripeSizeKiB)
        guard !overflow, Self.activityLogSizeRangeKiB.contains(logKiB) else { throw logError }
        guard Self.bitmapBlockSizeRangeKiB.contains(bitmapBlockSizeKiB),
            bitmapBlockSizeKiB & (bitmapBlockSizeKiB - 1) == 0
        else { throw .invalidBitmapBlockSize(kiB: bitmapBlockSizeKiB) }

        self.peerSlots = peerSlots
        self.activityLogStripes = activityLogStripes
        self.activityLogStripeSizeKiB = activityLogStripeSizeKiB
        self.bitmapBlockSizeKiB = bitmapBlockSizeKiB
    }

    /// Validated in `init` to be at most 32 MiB, so it cannot overflow.
    public var activityLogSizeKiB: Int64 {
        Int64(self.activityLogStripes) * self.activityLogStripeSizeKiB
    }

    // MARK: - Internal metadata

    /// The backing-device size to allocate so that DRBD with internal metadata offers at least
    /// `usableKiB`.
    ///
    /// The result is a multiple of 4 KiB (a device that is not gains nothing: drbdmeta places the
    /// superblock in the last *whole* 4 KiB block) and minimal: 4 KiB less would not suffice, unless the
    /// result is the 68 KiB floor drbdmeta requires. It equals LINSTOR's `MetaData.getGrossSize` for the
    /// default 4 KiB bitmap block; for larger blocks LINSTOR also rounds the net size up to a whole bitmap
    /// block, which drbdmeta does not need.
    public func internalGrossSizeKiB(forUsableKiB usableKiB: Int64) throws(DRBDMetadataError) -> Int64 {
        guard usableKiB >= 0 else { throw .negativeSize(kiB: usableKiB) }
        guard usableKiB <= Self.maximumDeviceKiB else {
            throw .sizeTooLarge(kiB: usableKiB, maximumKiB: Self.maximumDeviceKiB)
        }
        // Usable space on a 4 KiB aligned device is gross - bitmap(gross) - AL - superblock, always in
        // whole 4 KiB blocks; so find the least gross with gross - bitmap(gross) >= base. The bitmap
        // grows with the gross size it must cover (and by at most one block per 4 KiB of gross), so
        // iterating from below reaches the least fixed point, which is the smallest sufficient size.
        let base = Self.alignUp(usableKiB, to: Self.blockKiB) + self.activityLogSizeKiB + Self.superblockKiB
        var grossKiB = base
        while true {
            let nextKiB = base + self.bitmapSizeKiB(coveringKiB: grossKiB)
            if nextKiB <= grossKiB { break }
            grossKiB = nextKiB
            if grossKiB > Self.maximumDeviceKiB { break }
        }
        grossKiB = max(grossKiB, Self.minimumGrossKiB)
        guard grossKiB <= Self.maximumDeviceKiB else {
            throw .sizeTooLarge(kiB: grossKiB, maximumKiB: Self.maximumDeviceKiB)
        }
        return grossKiB
    }

    /// What DRBD with internal metadata offers on a backing device of `grossKiB`: drbdmeta's
    /// `max_usable_sect`, the offset at which the metadata begins.
    ///
    /// Returns 0 where `create-md` refuses the device (below 68 KiB, above 2^40 KiB, or too small for
    /// the activity log and bitmap) as well as where it accepts it but leaves nothing, so callers can
    /// compare against a requested size without a separate validity check. A size that is not a multiple of 4 KiB never offers more than the next
    /// lower multiple: its tail is unused, and it can need one more bitmap word.
    public func usableSizeKiB(forInternalGrossKiB grossKiB: Int64) -> Int64 {
        guard grossKiB >= Self.minimumGrossKiB, grossKiB <= Self.maximumDeviceKiB else { return 0 }
        let superblockOffsetKiB = Self.alignDown(grossKiB - Self.superblockKiB, to: Self.blockKiB)
        let metadataStartKiB =
            superblockOffsetKiB
            - self.activityLogSizeKiB
            - self.bitmapSizeKiB(coveringKiB: grossKiB)
        return max(metadataStartKiB, 0)
    }

    /// The internal metadata area (bitmap, activity log and superblock) on a device of `grossKiB`:
    /// drbdmeta's `md_size_sect`. A device that is not a multiple of 4 KiB also loses its tail beyond
    /// the last whole 4 KiB block, which this does not count.
    public func internalMetadataSizeKiB(forGrossKiB grossKiB: Int64) throws(DRBDMetadataError) -> Int64 {
        guard grossKiB >= 0 else { throw .negativeSize(kiB: grossKiB) }
        guard grossKiB >= Self.minimumGrossKiB else {
            throw .sizeTooSmall(kiB: grossKiB, minimumKiB: Self.minimumGrossKiB)
        }
        guard grossKiB <= Self.maximumDeviceKiB else {
            throw .sizeTooLarge(kiB: grossKiB, maximumKiB: Self.maximumDeviceKiB)
        }
        return self.bitmapSizeKiB(coveringKiB: grossKiB) + self.activityLogSizeKiB + Self.superblockKiB
    }

    // MARK: - External metadata

    /// The size of the separate metadata volume (LINSTOR's `.meta` volume) for `usableKiB` of data.
    ///
    /// As LINSTOR's `MetaData.getExternalMdSize`: superblock, activity log and a bitmap for the data,
    /// in whole 4 KiB blocks, but never below 1 MiB, so that modest growth of the data volume does not
    /// require a larger metadata volume.
    public func externalMetadataSizeKiB(forUsableKiB usableKiB: Int64) throws(DRBDMetadataError) -> Int64 {
        guard usableKiB >= 0 else { throw .negativeSize(kiB: usableKiB) }
        guard usableKiB <= Self.maximumDeviceKiB else {
            throw .sizeTooLarge(kiB: usableKiB, maximumKiB: Self.maximumDeviceKiB)
        }
        let dataKiB = Self.alignUp(usableKiB, to: Self.blockKiB)
        let metadataKiB = Self.superblockKiB + self.activityLogSizeKiB + self.bitmapSizeKiB(coveringKiB: dataKiB)
        return max(metadataKiB, Self.minimumExternalMetadataKiB)
    }

    /// How much data a flex-external metadata device of `metadataKiB` can track: drbdmeta's
    /// `max_usable_sect` for it. drbdmeta gives the whole device to the bitmap after superblock and
    /// activity log, split evenly per peer in 64-bit words.
    ///
    /// Returns 0 where `create-md` refuses the device (below 68 KiB or no room for a bitmap). The
    /// result is the bitmap's reach only: it can exceed DRBD's 2^40 KiB device limit, which applies
    /// separately.
    public func externalBitmapCapacityKiB(forMetadataKiB metadataKiB: Int64) -> Int64 {
        guard metadataKiB >= Self.minimumGrossKiB else { return 0 }
        let bitmapKiB = metadataKiB - Self.superblockKiB - self.activityLogSizeKiB
        guard bitmapKiB > 0 else { return 0 }
        // Avoid overflow for absurd inputs: (2^63 / 1024) KiB of bitmap is far beyond any device.
        let (bitmapBytes, overflow) = bitmapKiB.multipliedReportingOverflow(by: 1024)
        guard !overflow else { return Int64.max }
        let wordsPerPeer = bitmapBytes / 8 / Int64(self.peerSlots)
        let (capacity, capacityOverflow) = wordsPerPeer.multipliedReportingOverflow(by: 64 * self.bitmapBlockSizeKiB)
        return capacityOverflow ? Int64.max : capacity
    }

    // MARK: - Arithmetic shared by both layouts

    /// The bitmap for `sizeKiB` of data on all peer slots, as drbdmeta's `bm_bytes()`: one bit per
    /// bitmap block, whole 64-bit words per peer (so 32- and 64-bit hosts agree), whole 4 KiB blocks
    /// in total.
    func bitmapSizeKiB(coveringKiB sizeKiB: Int64) -> Int64 {
        let bits = Self.divideRoundingUp(sizeKiB, by: self.bitmapBlockSizeKiB)
        let wordsPerPeer = Self.divideRoundingUp(bits, by: 64)
        let bytes = wordsPerPeer * 8 * Int64(self.peerSlots)
        return Self.divideRoundingUp(bytes, by: Self.blockKiB * 1024) * Self.blockKiB
    }

    static func divideRoundingUp(_ value: Int64, by divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor > 0 ? quotient + 1 : quotient
    }

    static func alignUp(_ value: Int64, to alignment: Int64) -> Int64 {
        Self.divideRoundingUp(value, by: alignment) * alignment
    }

    static func alignDown(_ value: Int64, to alignment: Int64) -> Int64 {
        (value / alignment) * alignment
    }
}
