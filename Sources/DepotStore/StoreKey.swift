public import DepotModel

/// A key that a backend stores in the columns ``StoredKind/keyColumns`` names, in that order.
public protocol StoreKey: Hashable, Comparable, Sendable {
    /// The key's parts, one per key column.
    var columnValues: [String] { get }
}

extension ObjectKey: StoreKey {
    public var columnValues: [String] { [self.rawValue] }
}

extension ResourceKey: StoreKey {
    public var columnValues: [String] { [self.resource.rawValue, self.node.rawValue] }
}

extension StoragePoolKey: StoreKey {
    public var columnValues: [String] { [self.node.rawValue, self.pool.rawValue] }
}

extension ConnectionKey: StoreKey {
    public var columnValues: [String] { [self.low.rawValue, self.high.rawValue] }
}

extension ResourceConnectionKey: StoreKey {
    public var columnValues: [String] { [self.resource.rawValue] + self.nodes.columnValues }
}

extension SnapshotKey: StoreKey {
    public var columnValues: [String] { [self.resource.rawValue, self.snapshot.rawValue] }
}

/// Controller properties are keyed by their case-sensitive name.
extension String: StoreKey {
    public var columnValues: [String] { [self] }
}

extension AuthTokenID: StoreKey {
    public var columnValues: [String] { [String(self.rawValue)] }
}
