import DepotModel
import Testing

@Suite struct PropertyRulesTests {
    @Test func auxIsFreeForm() throws {
        try PropertyRules.validate(key: "Aux/rack", value: "r1 with spaces", for: .node)
        try PropertyRules.validate(key: "Aux/a/b/c", value: "", for: .resource)
    }

    @Test func knownKeysAreAcceptedWhereTheyBelong() throws {
        try PropertyRules.validate(key: "StorPoolName", value: "thinpool", for: .resource)
        try PropertyRules.validate(key: "PrefNic", value: "drbd", for: .node)
        try PropertyRules.validate(key: "DrbdOptions/Net/protocol", value: "C", for: .resourceDefinition)
        try PropertyRules.validate(key: "TcpPortAutoRange", value: "7000-7999", for: .controller)
    }

    @Test func unknownKeysAndBadValuesAreRejected() {
        #expect { try PropertyRules.validate(key: "StorPoolNme", value: "x", for: .resource) } throws: {
            ($0 as? DepotError)?.code == .failInvalidProperty
        }
        #expect(throws: DepotError.self) { try PropertyRules.validate(key: "TcpPortAutoRange", value: "7999-7000", for: .controller) }
        #expect(throws: DepotError.self) { try PropertyRules.validate(key: "PeerSlotsNewResource", value: "32", for: .controller) }
        #expect(throws: DepotError.self) { try PropertyRules.validate(key: "TcpPortAutoRange", value: "7000-7999", for: .resource) }
        #expect(throws: DepotError.self) { try PropertyRules.validate(key: "Aux/", value: "x", for: .node) }
        #expect(throws: DepotError.self) { try PropertyRules.validate(key: "/Aux/x", value: "x", for: .node) }
        #expect(throws: DepotError.self) { try PropertyRules.validate(key: "Aux/a b", value: "x", for: .node) }
    }

    @Test func changesApplyAllOrNothing() throws {
        var props = ["Aux/a": "1", "Aux/ns/b": "2", "Aux/ns/c": "3"]
        let bad = PropertyChange(overrideProps: ["Aux/new": "x", "Bogus": "y"], deleteProps: ["Aux/a"])
        #expect(throws: DepotError.self) { try bad.apply(to: &props, owner: .node) }
        #expect(props == ["Aux/a": "1", "Aux/ns/b": "2", "Aux/ns/c": "3"])

        let good = PropertyChange(overrideProps: ["Aux/new": "x"], deleteProps: ["Aux/a", "Aux/missing"], deleteNamespaces: ["Aux/ns"])
        let unset = try good.apply(to: &props, owner: .node)
        #expect(props == ["Aux/new": "x"])
        #expect(unset == ["Aux/missing"])
    }
}
