extension JSONValue {
    /// The text Python's `json.dumps(value, indent=2)` prints, which is what `linstor -m` shows.
    ///
    /// Scripts written against `linstor -m` sometimes compare text, so this keeps Python's layout:
    /// two-space indent, `": "` between key and value, `[]`/`{}` for empty containers, and every
    /// character outside ASCII written as a `\uXXXX` escape.
    public func pythonIndentedText(indent: Int = 2) -> String {
        var output = ""
        self.writeIndented(into: &output, level: 0, indent: indent)
        return output
    }

    /// Compact JSON for request bodies.
    public func compactText() -> String {
        var output = ""
        self.writeCompact(into: &output)
        return output
    }

    private func writeIndented(into output: inout String, level: Int, indent: Int) {
        let inner = String(repeating: " ", count: (level + 1) * indent)
        let outer = String(repeating: " ", count: level * indent)
        switch self {
        case .array(let elements) where !elements.isEmpty:
            output += "[\n"
            for (index, element) in elements.enumerated() {
                output += inner
                element.writeIndented(into: &output, level: level + 1, indent: indent)
                output += index == elements.count - 1 ? "\n" : ",\n"
            }
            output += outer + "]"
        case .object(let members) where !members.isEmpty:
            output += "{\n"
            for (index, member) in members.enumerated() {
                output += inner
                Self.writeString(member.key, asciiOnly: true, into: &output)
                output += ": "
                member.value.writeIndented(into: &output, level: level + 1, indent: indent)
                output += index == members.count - 1 ? "\n" : ",\n"
            }
            output += outer + "}"
        default:
            self.writeScalar(into: &output, asciiOnly: true)
        }
    }

    private func writeCompact(into output: inout String) {
        switch self {
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                element.writeCompact(into: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { output += "," }
                Self.writeString(member.key, asciiOnly: false, into: &output)
                output += ":"
                member.value.writeCompact(into: &output)
            }
            output += "}"
        default:
            self.writeScalar(into: &output, asciiOnly: false)
        }
    }

    private func writeScalar(into output: inout String, asciiOnly: Bool) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .integer(let value): output += String(value)
        case .double(let value): output += Self.pythonFloat(value)
        case .string(let value): Self.writeString(value, asciiOnly: asciiOnly, into: &output)
        case .array: output += "[]"
        case .object: output += "{}"
        }
    }

    /// Python's `repr(float)`: integral values keep a `.0`; non-finite values are Python's spellings.
    private static func pythonFloat(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return value.description
    }

    private static func writeString(_ value: String, asciiOnly: Bool, into output: inout String) {
        output += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            default:
                if scalar.value < 0x20 || (asciiOnly && scalar.value > 0x7E) {
                    for unit in String(scalar).utf16 {
                        output += "\\u" + Self.hex4(unit)
                    }
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }

    private static func hex4(_ unit: UInt16) -> String {
        let digits = String(unit, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}

extension JSONValue {
    /// Python's `json.dumps(value)` without indent: `{"a": 1, "b": [1, 2]}`.
    public func pythonInlineText() -> String {
        switch self {
        case .array(let elements):
            return "[" + elements.map { $0.pythonInlineText() }.joined(separator: ", ") + "]"
        case .object(let members):
            return "{"
                + members.map { JSONValue.string($0.key).pythonIndentedText() + ": " + $0.value.pythonInlineText() }
                .joined(separator: ", ") + "}"
        default:
            return self.pythonIndentedText()
        }
    }
}
