/// The cluster-wide name of a storage pool; pools of that name on several nodes share it.
public struct StoragePoolDefinition: Sendable, Codable, Equatable {
    public var name: String
    public var props: [String: String]
    public var uuid: String

    public init(name: String, props: [String: String] = [:], uuid: String) {
        self.name = name
        self.props = props
        self.uuid = uuid
    }

    public var key: ObjectKey { ObjectKey(self.name) }
}

/// Storage on one node that volumes are carved from (a VG, a thin pool, a zpool, a directory).
public struct StoragePool: Sendable, Codable, Equatable {
    public var nodeName: String
    public var name: String
    public var providerKind: ProviderKind
    public var props: [String: String]
    /// The shared-space identity; LINSTOR's default is `<node>;<pool>`.
    public var freeSpaceManagerName: String
    public var externalLocking: Bool
    public var uuid: String

    public init(
        nodeName: String,
        name: String,
        providerKind: ProviderKind,
        props: [String: String],
        freeSpaceManagerName: String?,
        externalLocking: Bool,
        uuid: String
    ) {
        self.nodeName = nodeName
        self.name = name
        self.providerKind = providerKind
        self.props = props
        self.freeSpaceManagerName = freeSpaceManagerName ?? "\(nodeName);\(name)"
        self.externalLocking = externalLocking
        self.uuid = uuid
    }

    public var key: StoragePoolKey { StoragePoolKey(node: ObjectKey(self.nodeName), pool: ObjectKey(self.name)) }

    /// Whether the pool's space is shared with other nodes (a shared VG, say).
    public var isShared: Bool { self.freeSpaceManagerName != "\(self.nodeName);\(self.name)" }
}

/// Well-known storage pool names.
public enum DefaultStoragePool {
    /// Chosen when a resource names no storage pool.
    public static let diskful = "DfltStorPool"
    /// Holds every node's diskless resources.
    public static let diskless = "DfltDisklessStorPool"
}
