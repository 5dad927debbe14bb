/// The identity of a resource: its definition's key and its node's key.
///
/// Ordered by resource first, so that a definition's replicas sit next to each other in sorted lists.
public struct ResourceKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let resource: ObjectKey
    public let node: ObjectKey

    public init(resource: ObjectKey, node: ObjectKey) {
        self.resource = resource
        self.node = node
    }

    public static func < (lhs: ResourceKey, rhs: ResourceKey) -> Bool {
        (lhs.resource, lhs.node) < (rhs.resource, rhs.node)
    }

    public var description: String { "\(self.resource)/\(self.node)" }
}
