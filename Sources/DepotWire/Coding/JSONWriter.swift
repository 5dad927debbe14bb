/// A minimal JSON writer for the objects that lists return by the ten thousand.
///
/// Foundation's `JSONEncoder` needs about 20 µs per resource; a controller restarting with 30,000
/// resources spent seconds re-encoding them. This writer appends UTF-8 directly. It only writes;
/// its output is tested to decode to exactly what `JSONEncoder` produces for the same value.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = []

    public init() {
        self.bytes.reserveCapacity(1024)
    }

    public mutating func beginObject() {
        self.separate()
        self.bytes.append(UInt8(ascii: "{"))
        self.needsComma.append(false)
    }

    public mutating func endObject() {
        self.bytes.append(UInt8(ascii: "}"))
        self.needsComma.removeLast()
    }

    public mutating func beginArray() {
        self.separate()
        self.bytes.append(UInt8(ascii: "["))
        self.needsComma.append(false)
    }

    public mutating func endArray() {
        self.bytes.append(UInt8(ascii: "]"))
        self.needsComma.removeLast()
    }

    /// Writes `"key":`; the value written next belongs to it.
    public mutating func key(_ key: String) {
        self.separate()
        self.writeString(key)
        self.bytes.append(UInt8(ascii: ":"))
        if !self.needsComma.isEmpty { self.needsComma[self.needsComma.count - 1] = false }
    }

    public mutating func value(_ text: String) {
        self.separate()
        self.writeString(text)
    }

    public mutating func value(_ number: Int64) {
        self.separate()
        self.bytes.append(contentsOf: String(number).utf8)
    }

    public mutating func value(_ number: Int) {
        self.value(Int64(number))
    }

    public mutating func value(_ flag: Bool) {
        self.separate()
        self.bytes.append(contentsOf: (flag ? "true" : "false").utf8)
    }

    /// Writes `"key":value` only when the value is present, as `encodeIfPresent` does.
    public mutating func field(_ key: String, _ text: String?) {
        guard let text else { return }
        self.key(key)
        self.value(text)
    }

    public mutating func field(_ key: String, _ number: Int64?) {
        guard let number else { return }
        self.key(key)
        self.value(number)
    }

    public mutating func field(_ key: String, _ number: Int?) {
        guard let number else { return }
        self.key(key)
        self.value(number)
    }

    /// Integral values without a fraction, as JSONEncoder writes them.
    public mutating func field(_ key: String, _ number: Double?) {
        guard let number, number.isFinite else { return }
        self.key(key)
        self.separate()
        if number == number.rounded(), abs(number) < 1e15 {
            self.bytes.append(contentsOf: String(Int64(number)).utf8)
        } else {
            self.bytes.append(contentsOf: String(number).utf8)
        }
    }

    public mutating func field(_ key: String, _ flag: Bool?) {
        guard let flag else { return }
        self.key(key)
        self.value(flag)
    }

    public mutating func field(_ key: String, _ texts: [String]?) {
        guard let texts else { return }
        self.key(key)
        self.beginArray()
        for text in texts { self.value(text) }
        self.endArray()
    }

    public mutating func field(_ key: String, _ numbers: [Int]?) {
        guard let numbers else { return }
        self.key(key)
        self.beginArray()
        for number in numbers { self.value(number) }
        self.endArray()
    }

    public mutating func field(_ key: String, _ map: [String: String]?) {
        guard let map else { return }
        self.key(key)
        self.beginObject()
        for (entryKey, entryValue) in map.sorted(by: { $0.key < $1.key }) {
            self.key(entryKey)
            self.value(entryValue)
        }
        self.endObject()
    }

    private mutating func separate() {
        guard !self.needsComma.isEmpty else { return }
        if self.needsComma[self.needsComma.count - 1] {
            self.bytes.append(UInt8(ascii: ","))
        } else {
            self.needsComma[self.needsComma.count - 1] = true
        }
    }

    private mutating func writeString(_ text: String) {
        self.bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: self.bytes.append(byte)
            }
        }
        self.bytes.append(UInt8(ascii: "\""))
    }
}
