/// A node on the wire (`Node` in LINSTOR's API); also the body of `POST /v1/nodes`.
public struct NodeDTO: Codable, Sendable {
    public var name: String = ""
    public var type: String = ""
    public var flags: [String]?
    public var props: [String: String]?
    public var netInterfaces: [NetInterfaceDTO]?
    public var connectionStatus: String?
    public var uuid: String?
    public var storageProviders: [String]?
    public var resourceLayers: [String]?
    public var unsupportedProviders: [String: [String]]?
    public var unsupportedLayers: [String: [String]]?
    public var evictionTimestamp: Int64?
    public var platform: String?
    public var osVariant: String?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, type, flags, props
        case netInterfaces = "net_interfaces"
        case connectionStatus = "connection_status"
        case uuid
        case storageProviders = "storage_providers"
        case resourceLayers = "resource_layers"
        case unsupportedProviders = "unsupported_providers"
        case unsupportedLayers = "unsupported_layers"
        case evictionTimestamp = "eviction_timestamp"
        case platform
        case osVariant = "os_variant"
    }
}

/// A node's network interface; also the body of interface create and modify.
public struct NetInterfaceDTO: Codable, Sendable {
    public var name: String?
    public var address: String?
    public var satellitePort: Int?
    public var satelliteEncryptionType: String?
    public var isActive: Bool?
    public var uuid: String?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, address
        case satellitePort = "satellite_port"
        case satelliteEncryptionType = "satellite_encryption_type"
        case isActive = "is_active"
        case uuid
    }
}

/// `PUT /v1/nodes/{node}`.
public struct NodeModifyDTO: Codable, Sendable {
    public var nodeType: String?
    public var overrideProps: [String: String]?
    public var deleteProps: [String]?
    public var deleteNamespaces: [String]?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case nodeType = "node_type"
        case overrideProps = "override_props"
        case deleteProps = "delete_props"
        case deleteNamespaces = "delete_namespaces"
    }
}
