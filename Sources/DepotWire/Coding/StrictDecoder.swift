public import Foundation

/// Decodes request bodies the way LINSTOR's Jackson mapper does: a field the schema does not know is
/// an error, not something silently ignored; scalars are coerced where Jackson coerces them, because
/// drivers rely on it (Perl sends `"Aux/pm/vmid": 100`, `"ignore_cache_older_than_sec": "60"`).
///
/// A request type opts in by giving its `CodingKeys` `CaseIterable`; any JSON object decoded with such
/// keys must not carry other keys. Maps (`props`) keep arbitrary keys.
public enum StrictJSON {
    /// Decodes `data` as `T`, refusing unknown fields at any depth; numbers and booleans where a
    /// string belongs are taken as their text.
    ///
    /// - Throws: ``RequestDecodingError`` describing the first problem and where it is.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws(RequestDecodingError) -> T {
        do {
            let decoder = JSONDecoder()
            decoder.userInfo[NumberLiterals.userInfoKey] = NumberLiterals(scanning: data)
            return try decoder.decode(StrictBox<T>.self, from: data).value
        } catch let error as RequestDecodingError {
            throw error
        } catch let DecodingError.typeMismatch(expected, context) {
            throw RequestDecodingError(path: context.codingPath, reason: "expected \(Self.describe(expected))")
        } catch let DecodingError.valueNotFound(expected, context) {
            throw RequestDecodingError(path: context.codingPath, reason: "expected \(Self.describe(expected)), found null")
        } catch let DecodingError.keyNotFound(key, context) {
            throw RequestDecodingError(path: context.codingPath + [key], reason: "required field is missing")
        } catch let DecodingError.dataCorrupted(context) {
            let underlying = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
            throw RequestDecodingError(path: context.codingPath, reason: underlying ?? context.debugDescription)
        } catch {
            throw RequestDecodingError(path: [], reason: String(describing: error))
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type: "a number"
        default:
            String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }
}

/// Why a request body was refused, with the JSON path of the offending field.
public struct RequestDecodingError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String

    init(path: [any CodingKey], reason: String) {
        self.path = path.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
        self.reason = reason
    }

    public var description: String {
        self.path.isEmpty ? self.reason : "\(self.path.hasPrefix(".") ? String(self.path.dropFirst()) : self.path): \(self.reason)"
    }
}

private struct StrictBox<T: Decodable>: Decodable {
    let value: T
    init(from decoder: any Decoder) throws {
        self.value = try T(from: StrictDecoder(base: decoder))
    }
}

private struct AnyKey: CodingKey {
    let stringValue: String
    let intValue: Int?
    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }
    init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

private func knownKeys<K: CodingKey & CaseIterable>(_: K.Type) -> Set<String> {
    Set(K.allCases.map(\.stringValue))
}

private struct StrictDecoder: Decoder {
    let base: any Decoder
    var codingPath: [any CodingKey] { self.base.codingPath }
    var userInfo: [CodingUserInfoKey: Any] { self.base.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        if let iterable = type as? any (CodingKey & CaseIterable).Type {
            let known = knownKeys(iterable)
            let present = try self.base.container(keyedBy: AnyKey.self).allKeys
            if let unknown = present.first(where: { !known.contains($0.stringValue) }) {
                throw RequestDecodingError(path: self.codingPath + [unknown], reason: "unknown field")
            }
        }
        return KeyedDecodingContainer(StrictKeyedContainer(base: try self.base.container(keyedBy: type)))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        StrictUnkeyedContainer(base: try self.base.unkeyedContainer())
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        try LenientValueContainer(decoder: self.base)
    }
}

private struct StrictKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    var base: KeyedDecodingContainer<Key>
    var codingPath: [any CodingKey] { self.base.codingPath }
    var allKeys: [Key] { self.base.allKeys }

    func contains(_ key: Key) -> Bool { self.base.contains(key) }
    func decodeNil(forKey key: Key) throws -> Bool { try self.base.decodeNil(forKey: key) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try self.coerced(type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        do {
            return try self.base.decode(type, forKey: key)
        } catch DecodingError.typeMismatch {
            return try LenientValueContainer(decoder: try self.base.superDecoder(forKey: key)).decode(type)
        }
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try self.coerced(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try self.base.decode(type, forKey: key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try self.coerced(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try self.base.decode(type, forKey: key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try self.base.decode(type, forKey: key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try self.base.decode(type, forKey: key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try self.coerced(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try self.base.decode(type, forKey: key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try self.base.decode(type, forKey: key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try self.base.decode(type, forKey: key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try self.base.decode(type, forKey: key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try self.base.decode(type, forKey: key) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try T(from: StrictDecoder(base: try self.base.superDecoder(forKey: key)))
    }

    /// Jackson, which parses LINSTOR's requests, accepts a number or boolean written as a string
    /// (`"place_count": "2"`, as the `linstor` client sends it); so does Depot.
    private func coerced<T: Decodable & LosslessStringConvertible>(_ type: T.Type, _ key: Key) throws -> T {
        do {
            return try self.base.decode(type, forKey: key)
        } catch {
            // A missing key or null stays an error; a value of another type or form gets a second look.
            guard self.base.contains(key), (try? self.base.decodeNil(forKey: key)) == false,
                let value = try? LenientValueContainer(decoder: try self.base.superDecoder(forKey: key)).coerced(type)
            else { throw error }
            return value
        }
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try StrictDecoder(base: try self.base.superDecoder(forKey: key)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        StrictUnkeyedContainer(base: try self.base.nestedUnkeyedContainer(forKey: key))
    }

    func superDecoder() throws -> any Decoder { StrictDecoder(base: try self.base.superDecoder()) }
    func superDecoder(forKey key: Key) throws -> any Decoder {
        StrictDecoder(base: try self.base.superDecoder(forKey: key))
    }
}

private struct StrictUnkeyedContainer: UnkeyedDecodingContainer {
    var base: any UnkeyedDecodingContainer
    var codingPath: [any CodingKey] { self.base.codingPath }
    var count: Int? { self.base.count }
    var isAtEnd: Bool { self.base.isAtEnd }
    var currentIndex: Int { self.base.currentIndex }

    mutating func decodeNil() throws -> Bool { try self.base.decodeNil() }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try self.coerced(type) }
    mutating func decode(_ type: String.Type) throws -> String {
        try LenientValueContainer(decoder: try self.base.superDecoder()).decode(type)
    }
    mutating func decode(_ type: Double.Type) throws -> Double { try self.coerced(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try self.base.decode(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try self.coerced(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try self.base.decode(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try self.base.decode(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try self.base.decode(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try self.coerced(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try self.base.decode(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try self.base.decode(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try self.base.decode(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try self.base.decode(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try self.base.decode(type) }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try T(from: StrictDecoder(base: try self.base.superDecoder()))
    }

    /// As the keyed container: numbers may come as strings. The element is read once, as a single
    /// value, so the container advances exactly one element either way.
    private mutating func coerced<T: Decodable & LosslessStringConvertible>(_ type: T.Type) throws -> T {
        try LenientValueContainer(decoder: try self.base.superDecoder()).coerced(type)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try StrictDecoder(base: try self.base.superDecoder()).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        StrictUnkeyedContainer(base: try self.base.nestedUnkeyedContainer())
    }

    mutating func superDecoder() throws -> any Decoder { StrictDecoder(base: try self.base.superDecoder()) }
}

/// One JSON value read as Jackson reads it into LINSTOR's request types: a number or boolean where a
/// string is expected becomes its text as written (`"Aux/pm/vmid": 100` is stored as `"100"`, as
/// drivers rely on, `1.50` as `"1.50"`), and a string holding a number or boolean is read as that
/// number or boolean.
private struct LenientValueContainer: SingleValueDecodingContainer {
    let base: any SingleValueDecodingContainer
    /// The body's number literals, to give a number back as it was written.
    let literals: NumberLiterals?
    var codingPath: [any CodingKey] { self.base.codingPath }

    init(decoder: any Decoder) throws {
        self.base = try decoder.singleValueContainer()
        self.literals = decoder.userInfo[NumberLiterals.userInfoKey] as? NumberLiterals
    }

    func decodeNil() -> Bool { self.base.decodeNil() }

    func decode(_ type: String.Type) throws -> String {
        do {
            return try self.base.decode(type)
        } catch DecodingError.typeMismatch(let expected, let context) {
            if let number = try? self.base.decode(Decimal.self), let written = self.literals?.text(of: number) { return written }
            if let integer = try? self.base.decode(Int64.self) { return String(integer) }
            if let number = try? self.base.decode(Decimal.self) { return number.description }
            if let flag = try? self.base.decode(Bool.self) { return flag ? "true" : "false" }
            throw DecodingError.typeMismatch(expected, context)
        }
    }

    func decode(_ type: Bool.Type) throws -> Bool { try self.coerced(type) }
    func decode(_ type: Double.Type) throws -> Double { try self.coerced(type) }
    func decode(_ type: Float.Type) throws -> Float { try self.base.decode(type) }
    func decode(_ type: Int.Type) throws -> Int { try self.coerced(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try self.base.decode(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try self.base.decode(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try self.base.decode(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try self.coerced(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try self.base.decode(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try self.base.decode(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try self.base.decode(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try self.base.decode(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try self.base.decode(type) }

    /// `Optional<String>` and other wrappers ask for their value through this generic entry; the
    /// scalar types still get their coercion.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self is String.Type, let value = try self.decode(String.self) as? T { return value }
        if T.self is Int.Type, let value = try self.decode(Int.self) as? T { return value }
        if T.self is Int64.Type, let value = try self.decode(Int64.self) as? T { return value }
        if T.self is Double.Type, let value = try self.decode(Double.self) as? T { return value }
        if T.self is Bool.Type, let value = try self.decode(Bool.self) as? T { return value }
        return try self.base.decode(type)
    }

    /// A number or boolean, also from its text; an integer also from a fractional number, cut
    /// towards zero as Jackson's `ACCEPT_FLOAT_AS_INT` does (Perl clients send `size_kib` as
    /// bytes / 1024).
    func coerced<T: Decodable & LosslessStringConvertible>(_ type: T.Type) throws -> T {
        do {
            return try self.base.decode(type)
        } catch {
            if let text = try? self.base.decode(String.self), let value = T(text.trimmingCharacters(in: .whitespaces)) { return value }
            if let value = self.truncated(type) { return value }
            throw error
        }
    }

    private func truncated<T: LosslessStringConvertible>(_ type: T.Type) -> T? {
        guard T.self is any BinaryInteger.Type, let number = try? self.base.decode(Double.self), number.isFinite,
            abs(number) < 9.2e18
        else { return nil }
        return T(String(Int64(number.rounded(.towardZero))))
    }
}
