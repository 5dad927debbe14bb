/// A storage pool on the wire; also the body of `POST /v1/nodes/{node}/storage-pools`.
public struct StoragePoolDTO: Codable, Sendable {
    public var storagePoolName: String = ""
    public var nodeName: String?
    public var providerKind: String = ""
    public var props: [String: String]?
    public var staticTraits: [String: String]?
    public var freeCapacity: Int64?
    public var totalCapacity: Int64?
    public var freeSpaceMgrName: String?
    public var uuid: String?
    public var reports: [ApiCallRcDTO]?
    public var supportsSnapshots: Bool?
    public var sharedSpace: String?
    public var externalLocking: Bool?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case storagePoolName = "storage_pool_name"
        case nodeName = "node_name"
        case providerKind = "provider_kind"
        case props
        case staticTraits = "static_traits"
        case freeCapacity = "free_capacity"
        case totalCapacity = "total_capacity"
        case freeSpaceMgrName = "free_space_mgr_name"
        case uuid, reports
        case supportsSnapshots = "supports_snapshots"
        case sharedSpace = "shared_space"
        case externalLocking = "external_locking"
    }
}

/// A storage pool definition on the wire; also its create body.
public struct StoragePoolDefinitionDTO: Codable, Sendable {
    public var storagePoolName: String = ""
    public var props: [String: String]?
    public var uuid: String?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case storagePoolName = "storage_pool_name"
        case props, uuid
    }
}
