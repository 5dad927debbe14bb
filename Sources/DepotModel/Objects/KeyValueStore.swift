/// A named map of free-form properties that clients keep in the controller: LINSTOR's key-value store.
///
/// Drivers built on python-linstor (its `KV` class) keep their own metadata here, so that the
/// controller's database is the only one they need. Unlike the properties of every other object,
/// the keys are the client's business: nothing checks them against the property catalogue. Keys are
/// paths (``PropertyPath``), so that a client can delete a whole namespace at once.
///
/// An instance exists only while it holds a property: the change that removes its last property
/// removes the instance, as in LINSTOR, so an empty instance is never listed.
public struct KeyValueStore: Sendable, Codable, Equatable {
    /// The name as first given; the identity (``key``) is case-insensitive.
    public var name: String
    /// Stored keys (``PropertyPath/normalized(_:)``) and their values.
    public var props: [String: String]
    public var uuid: String

    public init(name: String, props: [String: String] = [:], uuid: String) {
        self.name = name
        self.props = props
        self.uuid = uuid
    }

    public var key: ObjectKey { ObjectKey(self.name) }
}

extension KeyValueStore {
    /// Applies a modify call's change in LINSTOR's order: values are set first, then keys are
    /// deleted, then namespaces, so a key both set and deleted in one call ends up deleted.
    ///
    /// Keys to set are checked before anything changes; keys to delete that could never have been
    /// stored are skipped, as LINSTOR skips them.
    ///
    /// - Throws: ``DepotError`` `FAIL_INVLD_PROP` for a key to set that is too long; the store is
    ///   then unchanged.
    public mutating func apply(_ change: PropertyChange) throws(DepotError) {
        let overrides = change.overrideProps.sorted { $0.key < $1.key }
        for (key, _) in overrides {
            if let problem = PropertyPath.problem(with: key) {
                throw DepotError(
                    .failInvalidProperty, "Invalid key '\(key)' for key-value store '\(self.name)'.", cause: problem,
                    correction: "Use a shorter key; nothing was changed.")
            }
        }
        for (key, value) in overrides { self.props[PropertyPath.normalized(key)] = value }
        for key in change.deleteProps where PropertyPath.problem(with: key) == nil {
            self.props[PropertyPath.normalized(key)] = nil
        }
        for namespace in change.deleteNamespaces {
            self.props = self.props.filter { !PropertyPath.key($0.key, isIn: namespace) }
        }
    }
}
