import DepotModel
import Testing

@Suite struct NameRulesTests {
    @Test(arguments: ["LocalData", "SharedData", "_x", "ab", "a-b_c", "rsc-00001", String(repeating: "a", count: 48)])
    func acceptsResourceNames(_ name: String) throws {
        try NameKind.resource.validate(name)
    }

    @Test(arguments: [
        ("a", "less than minimum length 2"),
        (String(repeating: "a", count: 49), "greater than maximum length 48"),
        ("1abc", "cannot begin with character '1'"),
        ("-abc", "cannot begin with character '-'"),
        ("ab c", "cannot contain character ' '"),
        ("ab;rm", "cannot contain character ';'"),
        ("a$(x)", "cannot contain character '$'"),
        ("__", "must contain at least one character"),
        ("abc\u{e9}", "cannot contain character"),
    ])
    func rejectsResourceNames(_ name: String, _ reason: String) {
        #expect {
            try NameKind.resource.validate(name)
        } throws: { error in
            (error as? InvalidNameError)?.reason.contains(reason) == true
        }
    }

    @Test(arguments: ["romulus", "node-1.example.com", "n1", "a1b2"])
    func acceptsHostNames(_ name: String) throws {
        try NameKind.node.validate(name)
    }

    @Test(arguments: ["-node", "node-", ".node", "n", "no_de", "no de", String(repeating: "a", count: 64) + ".x", String(repeating: "a.", count: 128) + "a"])
    func rejectsHostNames(_ name: String) {
        #expect(throws: InvalidNameError.self) { try NameKind.node.validate(name) }
    }

    @Test func storagePoolAndInterfaceLengths() throws {
        #expect(throws: InvalidNameError.self) { try NameKind.storagePool.validate("ab") }
        try NameKind.storagePool.validate("abc")
        try NameKind.netInterface.validate(String(repeating: "n", count: 32))
        #expect(throws: InvalidNameError.self) { try NameKind.netInterface.validate(String(repeating: "n", count: 33)) }
    }

    @Test func keysAreCaseInsensitive() {
        #expect(ObjectKey("SharedData") == ObjectKey("shareddata"))
        #expect(ObjectKey("a") < ObjectKey("B"))
    }
}
