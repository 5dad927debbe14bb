import Testing

@testable import DepotModel

/// The whole catalogue, key by key: accepted with a valid value on every object that takes it,
/// refused with an invalid value and on an object that does not take it.
@Suite struct PropertyCatalogTests {
    func refusal(_ key: String, _ value: String, _ owner: PropertyOwner) -> DepotError? {
        do {
            try PropertyRules.validate(key: key, value: value, for: owner)
            return nil
        } catch {
            return error
        }
    }

    /// Values tried against a regular expression, in order, for one that matches and one that does not.
    static let regexSamples = ["abc_1", "10%", "1.5", "1024", "100-200", "0123456789abcdef", "64k", "", "not valid!"]

    /// A value the rule accepts and, where the type has one, a value it refuses.
    static func samples(_ rule: PropertyValueRule) -> (valid: String, invalid: String?) {
        switch rule {
        case .string: ("any text", nil)
        case .long: ("-42", "forty-two")
        case .range(let bounds): (String(bounds.upperBound), bounds.upperBound < Int64.max ? String(bounds.upperBound + 1) : "x")
        case .rangeFloat(let bounds): (String(bounds.lowerBound), String(bounds.upperBound + 1))
        case .regex(let pattern):
            (
                Self.regexSamples.first { rule.problem(with: $0) == nil } ?? "no sample matches \(pattern)",
                Self.regexSamples.first { rule.problem(with: $0) != nil }
            )
        case .symbol(let words): (words[words.count - 1], "not-a-choice")
        case .booleanTrueFalse: ("No", "maybe")
        case .allocationRange(let bounds): ("\(bounds.lowerBound)-\(bounds.upperBound)", "\(bounds.upperBound)-\(bounds.lowerBound)")
        case .decimal: ("1.5", "-1")
        case .drbdOption(let option):
            switch option.kind {
            case .text: ("/usr/lib/drbd/notify.sh", "")
            case .boolean: ("YES", "maybe")
            case .choice(let words): (words[0], "not-a-choice")
            case .number(let bounds, _): (String(bounds.lowerBound), String(bounds.upperBound + 1))
            case .numberOrChoice(let bounds, let words): (words[0] == "off" ? String(bounds.upperBound) : words[0], "not-a-choice")
            }
        }
    }

    @Test(arguments: PropertyCatalog.definitions.map(\.key))
    func everyKeyTakesValidValuesAndRefusesInvalidOnes(_ key: String) throws {
        let definition = try #require(PropertyCatalog.definition(forKey: key))
        let (valid, invalid) = Self.samples(definition.value)
        #expect(!definition.owners.isEmpty, "\(definition.key) is taken by no object")
        for owner in definition.owners.sorted(by: { $0.rawValue < $1.rawValue }) {
            #expect(self.refusal(definition.key, valid, owner) == nil, "\(definition.key)=\(valid) on \(owner)")
            if let invalid {
                #expect(self.refusal(definition.key, invalid, owner)?.code == .failInvalidProperty, "\(definition.key)=\(invalid) on \(owner)")
            }
        }
        for owner in PropertyOwner.allCases where !definition.owners.contains(owner) {
            #expect(self.refusal(definition.key, valid, owner)?.code == .failInvalidProperty, "\(definition.key) on \(owner)")
        }
    }

    @Test func theCatalogueHoldsLinstorsKeysOnce() {
        let keys = PropertyCatalog.definitions.map(\.key)
        #expect(Set(keys).count == keys.count)
        #expect(PropertyCatalog.linstorKeys.count >= 140)
        #expect(PropertyCatalog.drbdOptionKeys.count >= 90)
        // One key of each of LINSTOR's objects, on that object.
        for (key, owner) in [
            ("DrbdOptions/ExactSize", PropertyOwner.resourceDefinition), ("BalanceResourcesInterval", .controller),
            ("CopyAllSnapsOnEvacuate", .node), ("Clone/DdBlocksize", .storagePoolDefinition), ("StorDriver/LvcreateType", .storagePool),
            ("FileSystem/User", .resource), ("DrbdCurrentGi", .volumeDefinition), ("sys/fs/blkio_throttle_read", .volume),
            ("DrbdOptions/Net/tls-keyring", .resourceConnection), ("DrbdOptions/PeerDevice/peer-tiebreaker", .nodeConnection),
            ("Writecache/Options/Fua", .volumeGroup), ("NVMe/TRType", .resourceGroup),
        ] {
            #expect(PropertyCatalog.definition(forKey: key)?.owners.contains(owner) == true, "\(key) on \(owner)")
        }
    }

    @Test func proxmoxFirstDiskAllocationKeyIsAccepted() {
        #expect(self.refusal("DrbdOptions/ExactSize", "yes", .resourceDefinition) == nil)
        #expect(self.refusal("DrbdOptions/ExactSize", "False", .resourceGroup) == nil)
        #expect(self.refusal("DrbdOptions/ExactSize", "maybe", .resourceDefinition)?.cause?.contains("true or false") == true)
        #expect(self.refusal("DrbdOptions/ExactSize", "yes", .node) != nil, "LINSTOR takes ExactSize on definitions only")
    }

    @Test func unknownKeysAreRefusedWithTheKeysTheyResemble() {
        #expect(self.refusal("StorPoolNme", "x", .resource)?.correction?.hasPrefix("Did you mean StorPoolName?") == true)
        #expect(self.refusal("DrbdOptions/ExactSiz", "yes", .resourceDefinition)?.correction?.contains("DrbdOptions/ExactSize") == true)
        #expect(self.refusal("drbdoptions/exactsize", "yes", .resourceDefinition)?.correction?.contains("DrbdOptions/ExactSize") == true)
        let unknown = self.refusal("Completely/Unrelated", "x", .node)
        #expect(unknown?.code == .failInvalidProperty)
        #expect(unknown?.correction?.contains("Aux/") == true)
    }

    @Test func keysDepotKeptBeyondLinstorStayAccepted() {
        for (key, value, owner) in [
            ("StorDriver/anything", "x", PropertyOwner.storagePool), ("Internal/Drbd/QuorumSetBy", "user", .resourceDefinition),
            ("Autoplacer/Weights/MaxFreeSpace", "2", .controller), ("Paths/path1/vulcan", "eth0", .nodeConnection),
            ("REST/port", "3370", .controller), ("DrbdOptions/Handlers/disconnected", "/bin/true", .resourceDefinition),
            ("StorPoolName", "thinpool", .storagePool), ("DrbdOptions/Net/protocol", "C", .resource),
        ] {
            #expect(self.refusal(key, value, owner) == nil, "\(key) on \(owner)")
        }
    }

    @Test func propsInfoWordsTypesAsLinstorDoes() throws {
        let protocolRule = try #require(PropertyCatalog.definition(forKey: "DrbdOptions/Net/protocol")).value
        #expect(protocolRule.typeName == "regex")
        #expect(protocolRule.allowedValues == "(?:A|B|C)")
        let plan = try #require(PropertyCatalog.definition(forKey: "DrbdOptions/PeerDevice/c-plan-ahead"))
        #expect(plan.value.typeName == "range")
        #expect(plan.value.allowedValues == "(0 - 300)")
        #expect(plan.defaultValue == "20")
        #expect(plan.unit == "1/10 seconds")
        let quorum = try #require(PropertyCatalog.definition(forKey: "DrbdOptions/Resource/quorum")).value
        #expect(quorum.typeName == "numeric_or_symbol")
        #expect(PropertyCatalog.definition(forKey: "ExtCmdWaitTimeout")?.value.allowedValues == nil)
    }
}
