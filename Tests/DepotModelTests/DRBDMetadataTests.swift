import DepotTestSupport
import Foundation
import Testing

@testable import DepotModel

/// One measurement of the real drbdmeta, from `Fixtures/drbd-md-sizes.tsv`
/// (regenerate with `sudo scripts/drbd-md-table.sh`).
struct DRBDMetadataMeasurement: Sendable, CustomTestStringConvertible {
    enum Kind: String, Sendable {
        case `internal`
        case external
    }

    var kind: Kind
    /// The loop device given to drbdmeta: the backing device (internal) or the metadata device (external).
    var deviceKiB: Int64
    var peers: Int
    var activityLogStripes: Int
    var activityLogStripeSizeKiB: Int64
    var bitmapBlockSizeKiB: Int64
    /// drbdmeta's `md_size_sect` / 2; nil when `create-md` refused the device.
    var metadataKiB: Int64?
    /// drbdmeta's `max_usable_sect` / 2; 0 when `create-md` refused the device.
    var usableKiB: Int64

    var testDescription: String {
        "\(self.kind.rawValue) \(self.deviceKiB) KiB, \(self.peers) peers, AL \(self.activityLogStripes)×"
            + "\(self.activityLogStripeSizeKiB) KiB, bitmap block \(self.bitmapBlockSizeKiB) KiB"
    }

    func layout() throws -> DRBDMetadataLayout {
        try DRBDMetadataLayout(
            peerSlots: self.peers,
            activityLogStripes: self.activityLogStripes,
            activityLogStripeSizeKiB: self.activityLogStripeSizeKiB,
            bitmapBlockSizeKiB: self.bitmapBlockSizeKiB
        )
    }
}

enum DRBDMetadataFixture {
    struct MalformedLine: Error, CustomStringConvertible {
        var line: String
        var description: String { "malformed line in drbd-md-sizes.tsv: \(self.line)" }
    }

    static func load() throws -> [DRBDMetadataMeasurement] {
        let text = try Fixture.text("drbd-md-sizes.tsv")
        var rows: [DRBDMetadataMeasurement] = []
        var sawHeader = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) where !line.hasPrefix("#") {
            if !sawHeader {
                sawHeader = true
                continue
            }
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count == 8,
                let kind = DRBDMetadataMeasurement.Kind(rawValue: fields[0]),
                let deviceKiB = Int64(fields[1]),
                let peers = Int(fields[2]),
                let stripes = Int(fields[3]),
                let stripeSizeKiB = Int64(fields[4]),
                let bitmapBlockSizeKiB = Int64(fields[5]),
                let usableKiB = Int64(fields[7])
            else { throw MalformedLine(line: String(line)) }
            let metadataKiB: Int64?
            if fields[6] == "-" {
                metadataKiB = nil
            } else if let value = Int64(fields[6]) {
                metadataKiB = value
            } else {
                throw MalformedLine(line: String(line))
            }
            rows.append(
                DRBDMetadataMeasurement(
                    kind: kind, deviceKiB: deviceKiB, peers: peers, activityLogStripes: stripes,
                    activityLogStripeSizeKiB: stripeSizeKiB, bitmapBlockSizeKiB: bitmapBlockSizeKiB,
                    metadataKiB: metadataKiB, usableKiB: usableKiB))
        }
        return rows
    }

    static func internalRows() throws -> [DRBDMetadataMeasurement] {
        try Self.load().filter { $0.kind == .internal }
    }

    static func externalRows() throws -> [DRBDMetadataMeasurement] {
        try Self.load().filter { $0.kind == .external }
    }
}

@Suite("DRBD metadata size, checked against the real drbdmeta")
struct DRBDMetadataTests {
    @Test("the drbdmeta table is present and covers what the model claims")
    func fixtureCoverage() throws {
        let rows = try DRBDMetadataFixture.load()
        #expect(rows.count > 600)
        #expect(Set(rows.map(\.peers)) == [1, 2, 3, 7, 15, 31])
        #expect(rows.contains { $0.kind == .internal && $0.deviceKiB == 1 << 30 })
        #expect(rows.contains { $0.kind == .internal && $0.deviceKiB % 4 != 0 && $0.metadataKiB != nil })
        #expect(rows.contains { $0.kind == .internal && $0.metadataKiB == nil })
        #expect(rows.contains { $0.activityLogStripes != 1 })
        #expect(rows.contains { $0.kind == .external })
    }

    @Test("usable size with internal metadata equals drbdmeta's", arguments: try DRBDMetadataFixture.internalRows())
    func internalUsableSize(row: DRBDMetadataMeasurement) throws {
        let layout = try row.layout()
        #expect(layout.usableSizeKiB(forInternalGrossKiB: row.deviceKiB) == row.usableKiB)
        if let metadataKiB = row.metadataKiB {
            #expect(try layout.internalMetadataSizeKiB(forGrossKiB: row.deviceKiB) == metadataKiB)
        }
    }

    /// The gross size is a multiple of 4 KiB and minimal among those: LINSTOR's `getGrossSize` gives the
    /// same value for the default 4 KiB bitmap block (its bitmap iteration reaches the same fixed point).
    /// For larger bitmap blocks LINSTOR additionally rounds the net size up to a whole bitmap block; the
    /// model does not, because drbdmeta needs no such alignment, so there it can be smaller than LINSTOR's
    /// and still sufficient.
    @Test(
        "gross size for drbdmeta's usable size is sufficient and minimal",
        arguments: try DRBDMetadataFixture.internalRows().filter { $0.metadataKiB != nil })
    func internalGrossSize(row: DRBDMetadataMeasurement) throws {
        let layout = try row.layout()
        let grossKiB = try layout.internalGrossSizeKiB(forUsableKiB: row.usableKiB)
        #expect(grossKiB % 4 == 0)
        #expect(grossKiB >= DRBDMetadataLayout.minimumGrossKiB)
        // drbdmeta gave this usable size on a device of deviceKiB, so the minimum cannot be larger.
        #expect(grossKiB <= row.deviceKiB)
        #expect(layout.usableSizeKiB(forInternalGrossKiB: grossKiB) >= row.usableKiB)
        if grossKiB > DRBDMetadataLayout.minimumGrossKiB {
            #expect(!Self.suffices(layout, grossKiB: grossKiB - 4, forUsableKiB: row.usableKiB))
        }
    }

    @Test("bitmap capacity of external metadata equals drbdmeta's", arguments: try DRBDMetadataFixture.externalRows())
    func externalCapacity(row: DRBDMetadataMeasurement) throws {
        let layout = try row.layout()
        #expect(layout.externalBitmapCapacityKiB(forMetadataKiB: row.deviceKiB) == row.usableKiB)
    }

    /// LINSTOR's external size (align4(AL + bitmap + superblock), at least 1 MiB) must give drbdmeta a
    /// bitmap that reaches the data, and must not ask for more than the device drbdmeta just showed to be
    /// enough (rounded up to whole 4 KiB blocks, and the 1 MiB floor).
    @Test(
        "external metadata size covers the data",
        arguments: try DRBDMetadataFixture.externalRows().filter {
            $0.usableKiB > 0 && $0.usableKiB <= DRBDMetadataLayout.maximumDeviceKiB
        })
    func externalSize(row: DRBDMetadataMeasurement) throws {
        let layout = try row.layout()
        let metadataKiB = try layout.externalMetadataSizeKiB(forUsableKiB: row.usableKiB)
        #expect(metadataKiB >= 1024)
        #expect(metadataKiB % 4 == 0)
        #expect(layout.externalBitmapCapacityKiB(forMetadataKiB: metadataKiB) >= row.usableKiB)
        #expect(metadataKiB <= max((row.deviceKiB + 3) / 4 * 4, 1024))
    }

    @Test("gross size is sufficient and minimal over a dense range of requests", arguments: [1, 2, 7, 31])
    func internalGrossSizeSweep(peers: Int) throws {
        for bitmapBlockSizeKiB: Int64 in [4, 8, 1024] {
            let layout = try DRBDMetadataLayout(peerSlots: peers, bitmapBlockSizeKiB: bitmapBlockSizeKiB)
            // Every KiB up to ~40 MiB crosses many bitmap-word and bitmap-block boundaries.
            for usableKiB in Int64(0)...40_000 {
                let grossKiB = try layout.internalGrossSizeKiB(forUsableKiB: usableKiB)
                let sufficient = layout.usableSizeKiB(forInternalGrossKiB: grossKiB) >= usableKiB
                let minimal =
                    grossKiB == DRBDMetadataLayout.minimumGrossKiB
                    || !Self.suffices(layout, grossKiB: grossKiB - 4, forUsableKiB: usableKiB)
                guard sufficient, minimal, grossKiB % 4 == 0 else {
                    Issue.record("\(peers) peers, bitmap block \(bitmapBlockSizeKiB) KiB, usable \(usableKiB) KiB: gross \(grossKiB) KiB")
                    return
                }
            }
        }
    }

    @Test("the smallest device is 68 KiB")
    func minimumGrossSize() throws {
        let layout = try DRBDMetadataLayout()
        #expect(try layout.internalGrossSizeKiB(forUsableKiB: 0) == 68)
        #expect(try layout.internalGrossSizeKiB(forUsableKiB: 1) == 68)
        // 68 KiB: superblock at 64 KiB, 32 KiB activity log, 4 KiB bitmap leave 28 KiB.
        #expect(layout.usableSizeKiB(forInternalGrossKiB: 68) == 28)
        #expect(try layout.internalGrossSizeKiB(forUsableKiB: 28) == 68)
        #expect(try layout.internalGrossSizeKiB(forUsableKiB: 29) == 72)
        #expect(layout.usableSizeKiB(forInternalGrossKiB: 67) == 0)
        #expect(throws: DRBDMetadataError.sizeTooSmall(kiB: 67, minimumKiB: 68)) {
            try layout.internalMetadataSizeKiB(forGrossKiB: 67)
        }
    }

    @Test("LINSTOR's default: 7 peer slots, 1 × 32 KiB activity log, 4 KiB bitmap blocks")
    func defaults() throws {
        let layout = try DRBDMetadataLayout()
        #expect(layout.peerSlots == 7)
        #expect(layout.activityLogSizeKiB == 32)
        #expect(layout.bitmapBlockSizeKiB == 4)
        // 150 MiB of data, as in the article's examples: 36 KiB bitmap + 32 KiB AL + 4 KiB superblock.
        #expect(try layout.internalGrossSizeKiB(forUsableKiB: 153_600) == 153_672)
        #expect(try layout.externalMetadataSizeKiB(forUsableKiB: 153_600) == 1024)
        #expect(try layout.externalMetadataSizeKiB(forUsableKiB: 1 << 30) == 229_412)
    }

    @Test("peer slots outside 1...31 are rejected", arguments: [0, 32, -1, Int.max])
    func invalidPeerSlots(slots: Int) {
        #expect(throws: DRBDMetadataError.invalidPeerSlots(slots)) {
            try DRBDMetadataLayout(peerSlots: slots)
        }
    }

    @Test("activity logs drbdmeta would refuse or silently truncate are rejected")
    func invalidActivityLog() {
        for (stripes, sizeKiB): (Int, Int64) in [(0, 32), (1, 34), (1, 28), (1, 0), (1, -32), (2, 32 * 1024), (Int.max, 1 << 40)] {
            #expect(throws: DRBDMetadataError.invalidActivityLog(stripes: stripes, stripeSizeKiB: sizeKiB)) {
                try DRBDMetadataLayout(activityLogStripes: stripes, activityLogStripeSizeKiB: sizeKiB)
            }
        }
        #expect(throws: Never.self) { try DRBDMetadataLayout(activityLogStripes: 1024, activityLogStripeSizeKiB: 32) }
    }

    @Test("bitmap blocks must be a power of two from 4 KiB to 1 MiB", arguments: [Int64(0), 2, 12, 2048, -4])
    func invalidBitmapBlockSize(kiB: Int64) {
        #expect(throws: DRBDMetadataError.invalidBitmapBlockSize(kiB: kiB)) {
            try DRBDMetadataLayout(bitmapBlockSizeKiB: kiB)
        }
    }

    @Test("sizes above DRBD's 2^40 KiB limit are rejected")
    func tooLarge() throws {
        let layout = try DRBDMetadataLayout()
        let maximum = DRBDMetadataLayout.maximumDeviceKiB
        #expect(throws: DRBDMetadataError.sizeTooLarge(kiB: maximum + 1, maximumKiB: maximum)) {
            try layout.internalGrossSizeKiB(forUsableKiB: maximum + 1)
        }
        #expect(throws: DRBDMetadataError.sizeTooLarge(kiB: Int64.max, maximumKiB: maximum)) {
            try layout.internalGrossSizeKiB(forUsableKiB: Int64.max)
        }
        // Fits as data, but not together with its metadata.
        let error = #expect(throws: DRBDMetadataError.self) {
            try layout.internalGrossSizeKiB(forUsableKiB: maximum - 1024)
        }
        if case .sizeTooLarge(let kiB, _) = error {
            #expect(kiB > maximum)
        } else {
            Issue.record("expected sizeTooLarge, got \(String(describing: error))")
        }
        #expect(throws: DRBDMetadataError.sizeTooLarge(kiB: maximum + 4, maximumKiB: maximum)) {
            try layout.internalMetadataSizeKiB(forGrossKiB: maximum + 4)
        }
        #expect(throws: DRBDMetadataError.sizeTooLarge(kiB: maximum + 1, maximumKiB: maximum)) {
            try layout.externalMetadataSizeKiB(forUsableKiB: maximum + 1)
        }
        #expect(layout.usableSizeKiB(forInternalGrossKiB: maximum + 4) == 0)
        // The largest request that still fits is accepted and stays within the limit.
        let largest = try layout.internalGrossSizeKiB(forUsableKiB: layout.usableSizeKiB(forInternalGrossKiB: maximum))
        #expect(largest == maximum)
    }

    @Test("negative sizes are rejected")
    func negativeSizes() throws {
        let layout = try DRBDMetadataLayout()
        #expect(throws: DRBDMetadataError.negativeSize(kiB: -1)) {
            try layout.internalGrossSizeKiB(forUsableKiB: -1)
        }
        #expect(throws: DRBDMetadataError.negativeSize(kiB: Int64.min)) {
            try layout.internalGrossSizeKiB(forUsableKiB: Int64.min)
        }
        #expect(throws: DRBDMetadataError.negativeSize(kiB: -4)) {
            try layout.internalMetadataSizeKiB(forGrossKiB: -4)
        }
        #expect(throws: DRBDMetadataError.negativeSize(kiB: -1)) {
            try layout.externalMetadataSizeKiB(forUsableKiB: -1)
        }
        #expect(layout.usableSizeKiB(forInternalGrossKiB: -68) == 0)
        #expect(layout.externalBitmapCapacityKiB(forMetadataKiB: -1024) == 0)
    }

    @Test("errors read as sentences")
    func errorDescriptions() {
        #expect(DRBDMetadataError.invalidPeerSlots(32).description.contains("1...31"))
        #expect(
            DRBDMetadataError.sizeTooLarge(kiB: 5, maximumKiB: 4).description
                == "DRBD device of 5 KiB exceeds DRBD's maximum device size of 4 KiB")
    }

    /// Whether `grossKiB` would serve a request for `usableKiB`. `usableSizeKiB` reports a refused device
    /// as 0, which would "serve" a request for 0 KiB; drbdmeta refuses a device once the activity log and
    /// bitmap do not fit in front of the superblock, so that case is decided on the layout itself.
    static func suffices(_ layout: DRBDMetadataLayout, grossKiB: Int64, forUsableKiB usableKiB: Int64) -> Bool {
        guard grossKiB >= DRBDMetadataLayout.minimumGrossKiB,
            let metadataKiB = try? layout.internalMetadataSizeKiB(forGrossKiB: grossKiB)
        else { return false }
        let superblockEndKiB = (grossKiB - 4) / 4 * 4 + 4
        guard metadataKiB <= superblockEndKiB else { return false }
        return layout.usableSizeKiB(forInternalGrossKiB: grossKiB) >= usableKiB
    }
}
