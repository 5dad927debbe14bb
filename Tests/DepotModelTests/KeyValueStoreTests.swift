import DepotModel
import Testing

@Suite struct KeyValueStoreTests {
    private func store(_ props: [String: String] = [:]) -> KeyValueStore {
        KeyValueStore(name: "myKV", props: props, uuid: "u")
    }

    @Test(arguments: [
        ("/a/b", "a/b"), ("a//b/", "a/b"), ("a/b", "a/b"), ("/key", "key"), ("/", ""), ("", ""), ("///", ""), ("key", "key"),
    ])
    func keysAreStoredWithoutEmptyNamespaces(_ given: String, _ stored: String) {
        #expect(PropertyPath.normalized(given) == stored)
    }

    @Test func keyLengthsFollowLINSTOR() {
        #expect(PropertyPath.problem(with: String(repeating: "k", count: 255)) == nil)
        #expect(PropertyPath.problem(with: String(repeating: "k", count: 256)) != nil)
        // 256 as given, 254 stored: fits once the empty namespaces are gone.
        #expect(PropertyPath.problem(with: "a//" + String(repeating: "k", count: 253)) == nil)
        #expect(PropertyPath.problem(with: "a//" + String(repeating: "k", count: 254)) != nil)
        // A leading '/' counts towards the stored length.
        #expect(PropertyPath.problem(with: "/" + String(repeating: "k", count: 254)) == nil)
        #expect(PropertyPath.problem(with: "/" + String(repeating: "k", count: 255)) != nil)
        // UTF-16 code units, as Java counts: one emoji is two.
        #expect(PropertyPath.problem(with: String(repeating: "\u{1F600}", count: 127)) == nil)
        #expect(PropertyPath.problem(with: String(repeating: "\u{1F600}", count: 128)) != nil)
        #expect(PropertyPath.problem(with: String(repeating: "k", count: 300))?.contains("300 characters") == true)
    }

    @Test func namespacesHoldEveryKeyBelowThem() {
        #expect(PropertyPath.key("a/x", isIn: "a"))
        #expect(PropertyPath.key("a/b/c", isIn: "/a/"))
        #expect(!PropertyPath.key("a", isIn: "a"))
        #expect(!PropertyPath.key("ab/x", isIn: "a"))
        #expect(PropertyPath.key("anything", isIn: ""))
        #expect(PropertyPath.key("anything", isIn: "/"))
    }

    @Test func setsFreeFormKeysInTheirStoredForm() throws {
        var store = self.store()
        try store.apply(PropertyChange(overrideProps: ["/vol/1/size": "1024", "DrbdOptions/Nonsense": "x", "Aux/y": "z", "": "root"]))
        #expect(store.props == ["vol/1/size": "1024", "DrbdOptions/Nonsense": "x", "Aux/y": "z", "": "root"])
    }

    @Test func deletesAfterSettingKeysThenNamespaces() throws {
        var store = self.store(["a": "1", "a/x": "2", "a/b/y": "3", "ab/z": "4", "keep": "5"])
        try store.apply(PropertyChange(overrideProps: ["new": "n", "gone": "g"], deleteProps: ["/gone", "never-set"], deleteNamespaces: ["a/"]))
        #expect(store.props == ["a": "1", "ab/z": "4", "keep": "5", "new": "n"])
        try store.apply(PropertyChange(deleteNamespaces: ["/"]))
        #expect(store.props.isEmpty)
    }

    @Test func aKeyTooLongChangesNothing() {
        var store = self.store(["keep": "1"])
        let change = PropertyChange(overrideProps: ["ok": "1", String(repeating: "k", count: 257): "2"], deleteProps: ["keep"])
        #expect {
            try store.apply(change)
        } throws: { error in
            (error as? DepotError)?.code == .failInvalidProperty && (error as? DepotError)?.message.contains("myKV") == true
        }
        #expect(store.props == ["keep": "1"])
    }

    @Test func deletingAKeyThatCannotExistIsIgnored() throws {
        var store = self.store(["keep": "1"])
        try store.apply(PropertyChange(deleteProps: [String(repeating: "k", count: 300)]))
        #expect(store.props == ["keep": "1"])
    }

    @Test func instanceNamesFollowLINSTORsRules() throws {
        try NameKind.keyValueStore.validate("myKV")
        try NameKind.keyValueStore.validate("_drv-state_1")
        for bad in ["a", "1kv", "kv store", "kv/x", "kv;rm", String(repeating: "k", count: 49)] {
            #expect(throws: InvalidNameError.self, "\(bad)") { try NameKind.keyValueStore.validate(bad) }
        }
        let error = DepotError(invalidName: InvalidNameError(kind: .keyValueStore, name: "kv store", reason: "x"))
        #expect(error.code == .failInvalidKeyValueStoreName)
        #expect(error.code.rawValue == Int64(bitPattern: 0xC000_0000_0000_00DF))
        #expect(ReturnCode.failNotFoundKeyValueStore.rawValue == Int64(bitPattern: 0xC000_0000_0000_013C))
    }
}
