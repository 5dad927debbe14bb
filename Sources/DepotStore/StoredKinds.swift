public import DepotModel

/// Every kind the controller persists: the one list a new kind is added to.
///
/// Backends load every kind listed here; the conformance suite round-trips each of them.
public enum StoredKinds {
    public static let all: [any StoredObject.Type] = [
        ControllerProperty.self,
        Node.self,
        StoragePoolDefinition.self,
        StoragePool.self,
        ResourceGroup.self,
        ResourceDefinition.self,
        Resource.self,
        NodeConnection.self,
        ResourceConnection.self,
        KeyValueStore.self,
        SnapshotDefinition.self,
        MasterKeyRecord.self,
        AuthToken.self,
    ]
}

extension ControllerProperty: StoredObject {
    public static let storage = StoredKind(table: "controller_props", keyColumns: ["key"])
}

extension Node: StoredObject {
    public static let storage = StoredKind(table: "nodes", keyColumns: ["key"])
}

extension StoragePoolDefinition: StoredObject {
    public static let storage = StoredKind(table: "storage_pool_definitions", keyColumns: ["key"])
}

extension StoragePool: StoredObject {
    public static let storage = StoredKind(table: "storage_pools", keyColumns: ["node_key", "pool_key"])
}

extension ResourceGroup: StoredObject {
    public static let storage = StoredKind(table: "resource_groups", keyColumns: ["key"])
}

extension ResourceDefinition: StoredObject {
    public static let storage = StoredKind(table: "resource_definitions", keyColumns: ["key"])
}

extension Resource: StoredObject {
    public static let storage = StoredKind(table: "resource_rows", keyColumns: ["resource_key", "node_key"])
}

extension NodeConnection: StoredObject {
    public static let storage = StoredKind(table: "node_connections", keyColumns: ["node_a_key", "node_b_key"])
}

extension ResourceConnection: StoredObject {
    public static let storage = StoredKind(
        table: "resource_connections", keyColumns: ["resource_key", "node_a_key", "node_b_key"])
}

extension SnapshotDefinition: StoredObject {
    public static let storage = StoredKind(table: "snapshots", keyColumns: ["resource_key", "snapshot_key"])
}

extension KeyValueStore: StoredObject {
    public static let storage = StoredKind(table: "key_value_stores", keyColumns: ["key"])
}

extension MasterKeyRecord: StoredObject {
    public static let storage = StoredKind(table: "master_key", keyColumns: ["key"])
}

extension AuthToken: StoredObject {
    public static let storage = StoredKind(table: "auth_tokens", keyColumns: ["id"])
}
