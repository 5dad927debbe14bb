/// `ResourceDefinitionCloneRequest`: the body of `POST /v1/resource-definitions/{rsc}/clone`.
public struct ResourceDefinitionCloneRequestDTO: Codable, Sendable {
    public var name: String?
    public var externalName: String?
    public var useZfsClone: Bool?
    public var layerList: [String]?
    public var volumePassphrases: [String]?
    public var resourceGroup: String?
    public var overrideProps: [String: String]?
    public var deleteProps: [String]?
    public var deleteNamespaces: [String]?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name
        case externalName = "external_name"
        case useZfsClone = "use_zfs_clone"
        case layerList = "layer_list"
        case volumePassphrases = "volume_passphrases"
        case resourceGroup = "resource_group"
        case overrideProps = "override_props"
        case deleteProps = "delete_props"
        case deleteNamespaces = "delete_namespaces"
    }
}

/// `ResourceDefinitionCloneStarted`: where to follow the clone, and what starting it said.
public struct ResourceDefinitionCloneStartedDTO: Codable, Sendable {
    public var location: String
    public var sourceName: String
    public var cloneName: String
    public var messages: [ApiCallRcDTO]?

    public init(location: String, sourceName: String, cloneName: String, messages: [ApiCallRcDTO]?) {
        self.location = location
        self.sourceName = sourceName
        self.cloneName = cloneName
        self.messages = messages
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case location
        case sourceName = "source_name"
        case cloneName = "clone_name"
        case messages
    }
}

/// `ResourceDefinitionCloneStatus`: `CLONING`, `COMPLETE` or `FAILED`.
public struct ResourceDefinitionCloneStatusDTO: Codable, Sendable {
    public var status: String

    public init(status: String) {
        self.status = status
    }
}
