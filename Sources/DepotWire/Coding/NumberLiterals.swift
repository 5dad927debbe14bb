import Foundation

/// The number literals of a request body as they are written, by value.
///
/// Jackson, which reads LINSTOR's requests, stores a number sent where a string belongs as the
/// number's text (`"ratio": 1.50` becomes `"1.50"`, `1e3` stays `"1e3"`), while JSONDecoder keeps
/// only the value. The body is scanned once for its number tokens (outside strings) so the decoder
/// can give back the spelling the client sent.
struct NumberLiterals: Sendable {
    static let userInfoKey: CodingUserInfoKey = {
        guard let key = CodingUserInfoKey(rawValue: "depot.numberLiterals") else { preconditionFailure("a constant, valid key") }
        return key
    }()

    private var spellings: [Decimal: Set<String>] = [:]

    init(scanning data: Data) {
        var inString = false
        var escaped = false
        var token: [UInt8] = []
        func finish(_ spellings: inout [Decimal: Set<String>]) {
            guard !token.isEmpty else { return }
            let text = String(decoding: token, as: UTF8.self)
            if let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) { spellings[value, default: []].insert(text) }
            token.removeAll(keepingCapacity: true)
        }
        for byte in data {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
                // Letters of `true`/`false` never reach here as part of a number: a token starts with `-` or a digit.
                if !token.isEmpty || byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                    token.append(byte)
                }
            default:
                finish(&self.spellings)
                if byte == UInt8(ascii: "\"") { inString = true }
            }
        }
        finish(&self.spellings)
    }

    /// How `value` is written in the body, or `nil` when it is not there or written more than one way.
    func text(of value: Decimal) -> String? {
        guard let written = self.spellings[value], written.count == 1 else { return nil }
        return written.first
    }
}
