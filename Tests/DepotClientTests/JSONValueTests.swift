import DepotClient
import Testing

@Suite struct JSONValueTests {
    @Test func keepsKeyOrderAndPrintsLikePython() throws {
        let value = try JSONValue.parse(#"{"z":1,"a":[true,null,{"k":"v"}],"e":[],"o":{},"f":1.5,"u":"é\n\""}"#)
        #expect(value.objectMembers.map(\.key) == ["z", "a", "e", "o", "f", "u"])
        let expected = """
            {
              "z": 1,
              "a": [
                true,
                null,
                {
                  "k": "v"
                }
              ],
              "e": [],
              "o": {},
              "f": 1.5,
              "u": "\\u00e9\\n\\""
            }
            """
        #expect(value.pythonIndentedText() == expected)
        #expect(
            value.pythonInlineText()
                == #"{"z": 1, "a": [true, null, {"k": "v"}], "e": [], "o": {}, "f": 1.5, "u": "\u00e9\n\""}"#
        )
    }

    @Test func compactTextRoundTrips() throws {
        let text = #"{"resource_definition":{"name":"r1","layer_data":[{"type":"drbd"}]},"drbd_port":7000}"#
        #expect(try JSONValue.parse(text).compactText() == text)
    }

    @Test func surrogatePairsAndLargeIntegers() throws {
        let value = try JSONValue.parse(#"["\ud83d\ude00", -4611686018427387904, 2.0]"#)
        #expect(value.arrayValue[0].stringValue == "😀")
        #expect(value.arrayValue[1].int64Value == -4_611_686_018_427_387_904)
        #expect(value.pythonIndentedText() == "[\n  \"\\ud83d\\ude00\",\n  -4611686018427387904,\n  2.0\n]")
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"\\x\"", "1 2"])
    func refusesInvalidText(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
    }
}
