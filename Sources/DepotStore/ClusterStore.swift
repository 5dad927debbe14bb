public import DepotModel

/// Everything the controller persists, as loaded at start.
public struct StoredCluster: Sendable {
    public var controllerProps: [String: String] = [:]
    public var nodes: [Node] = []
    public var storagePoolDefinitions: [StoragePoolDefinition] = []
    public var storagePools: [StoragePool] = []
    public var resourceGroups: [ResourceGroup] = []
    public var resourceDefinitions: [ResourceDefinition] = []
    public var resources: [Resource] = []
    public var nodeConnections: [NodeConnection] = []
    public var resourceConnections: [ResourceConnection] = []
    /// True when the database did not exist before: built-in objects are seeded only then.
    public var isNewDatabase = false

    public init() {}
}

/// One row to write or remove; `nil` removes the object.
public enum StoreChange: Sendable {
    case controllerProp(key: String, value: String?)
    case node(ObjectKey, Node?)
    case storagePoolDefinition(ObjectKey, StoragePoolDefinition?)
    case storagePool(PairKey, StoragePool?)
    case resourceGroup(ObjectKey, ResourceGroup?)
    case resourceDefinition(ObjectKey, ResourceDefinition?)
    case resource(PairKey, Resource?)
    case nodeConnection(ConnectionKey, NodeConnection?)
    case resourceConnection(ResourceConnectionKey, ResourceConnection?)
}

/// Where the controller's desired state lives between runs.
///
/// The controller changes its in-memory model only after ``commit(_:)`` returned: a change is
/// durable before it is acknowledged. A backend must apply a batch atomically.
public protocol ClusterStore: Sendable {
    /// Reads the whole persisted state.
    func load() throws -> StoredCluster
    /// Applies `changes` in one durable transaction, or none of them.
    func commit(_ changes: [StoreChange]) async throws
}
