/// One object to write or remove, of any stored kind.
///
/// Operations record these while they change the model; a backend applies a batch in order, in one
/// transaction.
public struct StoreChange: Sendable {
    /// The kind the row belongs to.
    public let kind: any StoredObject.Type
    /// The key's column values, in the order of the kind's ``StoredKind/keyColumns``.
    public let keyValues: [String]
    /// The object to store; nil removes the row.
    public let object: (any StoredObject)?

    /// Writes `object`, replacing the row with its key.
    public static func put<Object: StoredObject>(_ object: Object) -> StoreChange {
        StoreChange(kind: Object.self, keyValues: object.key.columnValues, object: object)
    }

    /// Removes the object of `kind` with `key`; nothing happens if there is none.
    public static func remove<Object: StoredObject>(_ kind: Object.Type, key: Object.Key) -> StoreChange {
        StoreChange(kind: kind, keyValues: key.columnValues, object: nil)
    }
}
