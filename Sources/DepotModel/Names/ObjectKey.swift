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
