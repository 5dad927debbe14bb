import Foundation

/// A request body whose every value is text in LINSTOR's Java types (`Map<String, String>`,
/// `List<String>`), such as the key-value store's modify body.
///
/// LINSTOR's Jackson reads a JSON number or boolean sent where a string belongs as its literal text:
/// `{"override_props": {"size": 1024}}` sets `size` to `1024`, and drivers that write numbers rely
/// on it. ``StrictJSON`` therefore quotes those literals before it decodes a body of this kind, so
/// the value keeps exactly the text that was sent (`1.50` stays `1.50`, `1e3` stays `1e3`).
public protocol TextValuedBody: Decodable {}

/// Turns the number and boolean literals of a JSON text into strings holding the same characters.
enum JSONLiteralQuoting {
    /// `data` with every number and `true`/`false` outside a string quoted; everything else (strings,
    /// `null`, structure, whitespace, and text that is not valid JSON) is copied unchanged, so what the
    /// decoder would refuse it still refuses.
    static func quotingLiterals(in data: Data) -> Data {
        let bytes = [UInt8](data)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 16)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == Self.quote {
                let end = Self.endOfString(in: bytes, openingAt: index)
                output.append(contentsOf: bytes[index..<end])
                index = end
            } else if Self.beginsLiteral(byte) {
                var end = index
                while end < bytes.count, Self.isLiteralByte(bytes[end]) { end += 1 }
                let token = bytes[index..<end]
                if Self.isBoolean(token) || Self.isNumber(token) {
                    output.append(Self.quote)
                    output.append(contentsOf: token)
                    output.append(Self.quote)
                } else {
                    output.append(contentsOf: token)
                }
                index = end
            } else {
                output.append(byte)
                index += 1
            }
        }
        return Data(output)
    }

    private static let quote = UInt8(ascii: "\"")

    /// The index after the string that opens at `start` (past its closing quote), or the end of the
    /// text for a string that is never closed.
    private static func endOfString(in bytes: [UInt8], openingAt start: Int) -> Int {
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case Self.quote: return index + 1
            default: index += 1
            }
        }
        return bytes.count
    }

    private static func beginsLiteral(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "-") || byte == UInt8(ascii: "t") || byte == UInt8(ascii: "f") || Self.isDigit(byte)
    }

    /// The bytes a literal is read up to: so `1true` or `truex` is one token, refused whole.
    private static func isLiteralByte(_ byte: UInt8) -> Bool {
        Self.isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isBoolean(_ token: ArraySlice<UInt8>) -> Bool {
        token.elementsEqual("true".utf8) || token.elementsEqual("false".utf8)
    }

    /// JSON's number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private static func isNumber(_ token: ArraySlice<UInt8>) -> Bool {
        var rest = token[...]
        if rest.first == UInt8(ascii: "-") { rest = rest.dropFirst() }
        guard let first = rest.first, Self.isDigit(first) else { return false }
        if first == UInt8(ascii: "0") {
            rest = rest.dropFirst()
        } else {
            rest = rest.drop(while: Self.isDigit)
        }
        if rest.first == UInt8(ascii: ".") {
            rest = rest.dropFirst()
            guard let digit = rest.first, Self.isDigit(digit) else { return false }
            rest = rest.drop(while: Self.isDigit)
        }
        if rest.first == UInt8(ascii: "e") || rest.first == UInt8(ascii: "E") {
            rest = rest.dropFirst()
            if rest.first == UInt8(ascii: "+") || rest.first == UInt8(ascii: "-") { rest = rest.dropFirst() }
            guard let digit = rest.first, Self.isDigit(digit) else { return false }
            rest = rest.drop(while: Self.isDigit)
        }
        return rest.isEmpty
    }
}
