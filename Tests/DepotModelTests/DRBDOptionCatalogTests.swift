import Testing

@testable import DepotModel

/// DRBD options as properties: names per section, values by DRBD's own ranges and choices.
@Suite struct DRBDOptionCatalogTests {
    func refusal(_ key: String, _ value: String, _ owner: PropertyOwner = .resourceDefinition) -> DepotError? {
        do {
            try PropertyRules.validate(key: key, value: value, for: owner)
            return nil
        } catch {
            return error
        }
    }

    @Test func validOptionsPass() {
        for (key, value) in [
            ("DrbdOptions/Net/protocol", "C"), ("DrbdOptions/Net/max-buffers", "8000"), ("DrbdOptions/PeerDevice/c-max-rate", "100M"),
            ("DrbdOptions/Resource/quorum", "majority"), ("DrbdOptions/Resource/quorum", "2"), ("DrbdOptions/Disk/disk-flushes", "no"),
            ("DrbdOptions/Disk/resync-after", "other/0"), ("DrbdOptions/Handlers/split-brain", "/usr/lib/drbd/notify-split-brain.sh root"),
            ("DrbdOptions/Net/verify-alg", "crc32c"),
        ] {
            #expect(self.refusal(key, value) == nil, "\(key)=\(value)")
        }
    }

    @Test func badNamesAndValuesAreRefusedWithWhatIsAllowed() {
        #expect(self.refusal("DrbdOptions/Net/protocol", "D")?.cause?.contains("A, B, C") == true)
        #expect(self.refusal("DrbdOptions/Net/max-buffers", "banana")?.cause?.contains("32 to 131072") == true)
        #expect(self.refusal("DrbdOptions/Net/max-buffers", "10")?.code == .failInvalidProperty)
        #expect(self.refusal("DrbdOptions/PeerDevice/c-max-rate", "5G")?.code == .failInvalidProperty, "5 GiB/s is above 4194304 KiB/s")
        #expect(self.refusal("DrbdOptions/Disk/disk-flushes", "maybe")?.cause?.contains("yes or no") == true)
        #expect(self.refusal("DrbdOptions/Net/max-bufers", "8000")?.correction == "Did you mean max-buffers?")
        #expect(self.refusal("DrbdOptions/Disk/protocol", "C") != nil, "a net option is not a disk option")
        #expect(self.refusal("DrbdOptions/Disk/disk-flushes", "no", .nodeConnection) != nil, "connections take net and peer-device options only")
        #expect(self.refusal("DrbdOptions/Net/protocol", "A", .resourceConnection) == nil)
    }

    @Test func sizesAreCountedInTheOptionsUnit() {
        #expect(DRBDOptionCatalog.Option.number("100M", unit: .kibi) == 102_400)
        #expect(DRBDOptionCatalog.Option.number("1M", unit: .sector) == 2048)
        #expect(DRBDOptionCatalog.Option.number("1M", unit: .one) == nil)
        #expect(DRBDOptionCatalog.options.count > 60)
    }
}
