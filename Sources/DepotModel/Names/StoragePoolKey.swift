/// The identity of a storage pool: its node's key and the pool's own key.
///
/// Ordered by node first, as LINSTOR lists pools.
public struct StoragePoolKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let node: ObjectKey
    public let pool: ObjectKey

    public init(node: ObjectKey, pool: ObjectKey) {
        self.node = node
        self.pool = pool
    }

    public static func < (lhs: StoragePoolKey, rhs: StoragePoolKey) -> Bool {
        (lhs.node, lhs.pool) < (rhs.node, rhs.pool)
    }

    public var description: String { "\(self.node)/\(self.pool)" }
}
