/// The identity of a named object: LINSTOR names are case-insensitive but keep their display spelling.
///
/// Objects are stored and looked up by their key (the upper-cased name); the display name the user
/// typed first is kept on the object itself.
public struct ObjectKey: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(_ name: String) {
        self.rawValue = name.uppercased()
    }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.rawValue)
    }

    public static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { self.rawValue }
}

/// The key of an object that lives inside a node or a resource definition (a resource, a storage pool).
public struct PairKey: Hashable, Comparable, Sendable, Codable {
    public let first: ObjectKey
    public let second: ObjectKey

    public init(_ first: ObjectKey, _ second: ObjectKey) {
        self.first = first
        self.second = second
    }

    public static func < (lhs: PairKey, rhs: PairKey) -> Bool {
        (lhs.first, lhs.second) < (rhs.first, rhs.second)
    }
}
