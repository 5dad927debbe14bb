import DepotWire
import Foundation
import Testing

/// Jackson's scalar coercion, which LINSTOR's drivers rely on, for bodies of every kind.
@Suite struct ScalarCoercionTests {
    private func decode(_ json: String) throws -> KeyValueStoreModifyDTO {
        try StrictJSON.decode(KeyValueStoreModifyDTO.self, from: Data(json.utf8))
    }

    @Test func numbersAndBooleansBecomeText() throws {
        let body = try self.decode(
            #"{"override_props":{"int":1024,"neg":-7,"float":1.50,"big":12345678901234567890123,"yes":true,"no":false,"text":"x"},"delete_props":[5,"a"]}"#
        )
        #expect(
            body.overrideProps == ["int": "1024", "neg": "-7", "float": "1.50", "big": "12345678901234567890123", "yes": "true", "no": "false", "text": "x"])
        #expect(body.deleteProps == ["5", "a"])
    }

    /// As Jackson: a number's text as the client wrote it, exponents and trailing zeros included;
    /// digits inside strings (keys and values) are no number literals.
    @Test func numbersKeepTheirSpelling() throws {
        let body = try self.decode(#"{"override_props":{"exp":1e3,"Exp":2.5E-1,"zero":-0.0,"one.50":"1.5","n":10.10},"delete_props":[]}"#)
        #expect(body.overrideProps == ["exp": "1e3", "Exp": "2.5E-1", "zero": "-0.0", "one.50": "1.5", "n": "10.10"])
    }

    /// One value written two ways in one body cannot be told apart by value: both get the value's text.
    @Test func aValueWrittenTwoWaysGetsItsPlainText() throws {
        let body = try self.decode(#"{"override_props":{"a":1.5,"b":1.50}}"#)
        #expect(body.overrideProps == ["a": "1.5", "b": "1.5"])
    }

    @Test func stringsAreLeftAsTheyAre() throws {
        let body = try self.decode(#"{"override_props":{"1":"12 true","q":"say \"7\" false","\\":"\\\\","t":"\u0074rue"}}"#)
        #expect(body.overrideProps == ["1": "12 true", "q": #"say "7" false"#, "\\": "\\\\", "t": "true"])
    }

    @Test func nullIsKeptForTheOperationToRefuse() throws {
        let body = try self.decode(#"{"override_props":{"a":null}}"#)
        #expect(body.overrideProps?["a"] == .some(nil))
    }

    @Test(arguments: [
        #"{"override_props":{"a":01}}"#, #"{"override_props":{"a":1.}}"#, #"{"override_props":{"a":truex}}"#,
        #"{"override_props":{"a":1true}}"#, #"{"override_props":{"a":[1]}}"#, #"{"override_props":{"a":{"b":1}}}"#,
        #"{"override_props":{"a":"1"},"bogus":1}"#, #"{"override_props":7}"#, #"{"override_props":{"a":1 2}}"#, "{",
    ])
    func whatJacksonRefusesStaysRefused(_ json: String) {
        #expect(throws: RequestDecodingError.self) { try self.decode(json) }
    }
}
