import DepotModel

/// A change to a key-value store instance, which comes into being with its first property and goes
/// with its last.
struct KeyValueStoreModification: Sendable {
    /// The instance's name as the caller gave it.
    var name: String
    var props = PropertyChange()
}
