/// A kind of object the controller persists, declared once: its key and where it is stored.
///
/// The store, its backends and the controller's model are generic over this protocol, so a new kind
/// needs its model type, a conformance in ``StoredKinds`` and a migration in each backend; no
/// backend's load or commit code changes.
public protocol StoredObject: Codable, Equatable, Sendable {
    associatedtype Key: StoreKey
    /// The object's identity: one row per key.
    var key: Key { get }
    /// The kind's table and key columns, the same in every backend.
    static var storage: StoredKind { get }
}

/// Where a kind lives: its table and the columns its key is stored in.
///
/// Unless a backend gives the kind a layout of its own (resources in columns, say), a row holds
/// the key columns and the object as a JSON document in a `data` column.
public struct StoredKind: Sendable, Hashable {
    public let table: String
    public let keyColumns: [String]

    public init(table: String, keyColumns: [String]) {
        self.table = table
        self.keyColumns = keyColumns
    }
}
