public import Foundation

/// Why a text is not JSON, with the byte offset where reading stopped.
public struct JSONParseError: Error, Sendable, CustomStringConvertible {
    public let offset: Int
    public let reason: String

    public var description: String { "invalid JSON at byte \(self.offset): \(self.reason)" }
}

extension JSONValue {
    /// Parses a complete JSON text, keeping object key order.
    ///
    /// - Throws: ``JSONParseError`` for anything that is not exactly one JSON value.
    public static func parse(_ data: Data) throws(JSONParseError) -> JSONValue {
        var reader = JSONReader(bytes: [UInt8](data))
        reader.skipWhitespace()
        let value = try reader.readValue(depth: 0)
        reader.skipWhitespace()
        guard reader.isAtEnd else { throw reader.failure("trailing characters") }
        return value
    }

    /// Parses a JSON text given as a string.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try self.parse(Data(text.utf8))
    }
}

/// A recursive-descent reader over UTF-8 bytes.
private struct JSONReader {
    let bytes: [UInt8]
    var position = 0
    static let maximumDepth = 512

    var isAtEnd: Bool { self.position >= self.bytes.count }

    func failure(_ reason: String) -> JSONParseError {
        JSONParseError(offset: self.position, reason: reason)
    }

    mutating func skipWhitespace() {
        while self.position < self.bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(self.bytes[self.position]) {
            self.position += 1
        }
    }

    mutating func readValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth < Self.maximumDepth else { throw self.failure("nested too deeply") }
        guard let byte = self.peek() else { throw self.failure("unexpected end") }
        switch byte {
        case UInt8(ascii: "{"): return try self.readObject(depth: depth)
        case UInt8(ascii: "["): return try self.readArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try self.readString())
        case UInt8(ascii: "t"):
            try self.expectWord("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try self.expectWord("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try self.expectWord("null")
            return .null
        default: return try self.readNumber()
        }
    }

    func peek() -> UInt8? { self.isAtEnd ? nil : self.bytes[self.position] }

    mutating func expectWord(_ word: String) throws(JSONParseError) {
        for expected in word.utf8 {
            guard self.peek() == expected else { throw self.failure("expected \(word)") }
            self.position += 1
        }
    }

    mutating func readObject(depth: Int) throws(JSONParseError) -> JSONValue {
        self.position += 1
        var members: [(key: String, value: JSONValue)] = []
        self.skipWhitespace()
        if self.peek() == UInt8(ascii: "}") {
            self.position += 1
            return .object(members)
        }
        while true {
            self.skipWhitespace()
            guard self.peek() == UInt8(ascii: "\"") else { throw self.failure("expected a key") }
            let key = try self.readString()
            self.skipWhitespace()
            guard self.peek() == UInt8(ascii: ":") else { throw self.failure("expected ':'") }
            self.position += 1
            self.skipWhitespace()
            members.append((key: key, value: try self.readValue(depth: depth + 1)))
            self.skipWhitespace()
            switch self.peek() {
            case UInt8(ascii: ","): self.position += 1
            case UInt8(ascii: "}"):
                self.position += 1
                return .object(members)
            default: throw self.failure("expected ',' or '}'")
            }
        }
    }

    mutating func readArray(depth: Int) throws(JSONParseError) -> JSONValue {
        self.position += 1
        var elements: [JSONValue] = []
        self.skipWhitespace()
        if self.peek() == UInt8(ascii: "]") {
            self.position += 1
            return .array(elements)
        }
        while true {
            self.skipWhitespace()
            elements.append(try self.readValue(depth: depth + 1))
            self.skipWhitespace()
            switch self.peek() {
            case UInt8(ascii: ","): self.position += 1
            case UInt8(ascii: "]"):
                self.position += 1
                return .array(elements)
            default: throw self.failure("expected ',' or ']'")
            }
        }
    }

    mutating func readString() throws(JSONParseError) -> String {
        self.position += 1
        var scalars = String.UnicodeScalarView()
        var run: [UInt8] = []
        func flush() {
            if !run.isEmpty {
                scalars.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars)
                run.removeAll(keepingCapacity: true)
            }
        }
        while let byte = self.peek() {
            self.position += 1
            switch byte {
            case UInt8(ascii: "\""):
                flush()
                return String(scalars)
            case UInt8(ascii: "\\"):
                flush()
                scalars.append(try self.readEscape())
            case 0..<0x20:
                throw self.failure("control character in string")
            default:
                run.append(byte)
            }
        }
        throw self.failure("unterminated string")
    }

    mutating func readEscape() throws(JSONParseError) -> Unicode.Scalar {
        guard let byte = self.peek() else { throw self.failure("unterminated escape") }
        self.position += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let first = try self.readHex4()
            if (0xD800..<0xDC00).contains(first), self.peek() == UInt8(ascii: "\\") {
                let saved = self.position
                self.position += 1
                if self.peek() == UInt8(ascii: "u") {
                    self.position += 1
                    let second = try self.readHex4()
                    if (0xDC00..<0xE000).contains(second),
                        let scalar = Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
                    {
                        return scalar
                    }
                }
                self.position = saved
            }
            return Unicode.Scalar(first) ?? "\u{FFFD}"
        default:
            throw self.failure("invalid escape")
        }
    }

    mutating func readHex4() throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = self.peek(), let digit = Self.hexDigit(byte) else {
                throw self.failure("invalid \\u escape")
            }
            value = value * 16 + digit
            self.position += 1
        }
        return value
    }

    static func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    mutating func readNumber() throws(JSONParseError) -> JSONValue {
        let start = self.position
        var isInteger = true
        while let byte = self.peek(), "+-0123456789.eE".utf8.contains(byte) {
            if !("-0123456789".utf8.contains(byte)) { isInteger = false }
            self.position += 1
        }
        let text = String(decoding: self.bytes[start..<self.position], as: UTF8.self)
        if isInteger, let value = Int64(text) { return .integer(value) }
        guard !text.isEmpty, let value = Double(text) else {
            self.position = start
            throw self.failure("unexpected character")
        }
        return .double(value)
    }
}
