/// Everything the controller persists, as loaded at start: the objects of every kind.
public struct StoredCluster: Sendable {
    private var objects: [StoredKind: [any StoredObject]] = [:]
    /// True when the database did not exist before: built-in objects are seeded only then.
    public var isNewDatabase = false
    /// Rows that did not decode; their objects are not among the loaded ones.
    public var damaged: [DamagedRow] = []

    public init() {}

    /// The loaded objects of one kind, in no particular order.
    public subscript<Object: StoredObject>(_ kind: Object.Type) -> [Object] {
        (self.objects[Object.storage] ?? []).compactMap { $0 as? Object }
    }

    /// Sets the objects of `kind`, for backends that read kinds without knowing their types.
    public mutating func set(_ objects: [any StoredObject], of kind: any StoredObject.Type) {
        self.objects[kind.storage] = objects
    }

    /// The loaded objects of `kind`, untyped.
    public func objects(of kind: any StoredObject.Type) -> [any StoredObject] {
        self.objects[kind.storage] ?? []
    }
}
