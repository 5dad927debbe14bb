/// Resources a layer must leave alone when it removes what is unwanted: those still being built or
/// taken down above it, and those the controller holds because it could not load their rows.
///
/// Matched case-insensitively, as resource names are: the controller names a held resource by its
/// key when all it has left is the key of an unreadable row.
public struct HeldResources: Sendable, ExpressibleByArrayLiteral {
    private var keys: Set<String>

    public init(_ names: some Sequence<String>) {
        self.keys = Set(names.map { $0.uppercased() })
    }

    public init(arrayLiteral names: String...) {
        self.init(names)
    }

    public func contains(_ name: String) -> Bool {
        self.keys.contains(name.uppercased())
    }

    public mutating func insert(_ name: String) {
        self.keys.insert(name.uppercased())
    }
}
