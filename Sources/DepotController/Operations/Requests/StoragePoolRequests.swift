import DepotModel

/// A storage pool to create on a node.
struct NewStoragePool: Sendable {
    var name: String?
    /// As given (any case); one of ``ProviderKind``.
    var providerKind: String
    var props: [String: String] = [:]
    var freeSpaceManagerName: String?
    var externalLocking = false
    var uuid: String?
}

/// A storage pool definition to create: the cluster-wide name and properties of pools.
struct NewStoragePoolDefinition: Sendable {
    var name: String?
    var props: [String: String] = [:]
    var uuid: String?
}
