/// A resource definition on the wire; also the inner object of its create body.
public struct ResourceDefinitionDTO: Codable, Sendable {
    public var name: String?
    public var externalName: String?
    public var props: [String: String]?
    public var flags: [String]?
    public var layerData: [ResourceDefinitionLayerDTO]?
    public var uuid: String?
    public var resourceGroupName: String?
    public var volumeDefinitions: [VolumeDefinitionDTO]?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name
        case externalName = "external_name"
        case props, flags
        case layerData = "layer_data"
        case uuid
        case resourceGroupName = "resource_group_name"
        case volumeDefinitions = "volume_definitions"
    }
}

/// One layer of a resource definition; only DRBD carries data.
public struct ResourceDefinitionLayerDTO: Codable, Sendable {
    public var type: String = ""
    public var data: DRBDResourceDefinitionLayerDTO?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, data
    }
}

/// The DRBD settings shared by all replicas of a resource.
public struct DRBDResourceDefinitionLayerDTO: Codable, Sendable {
    public var resourceNameSuffix: String?
    public var peerSlots: Int?
    public var alStripes: Int?
    public var alStripeSizeKiB: Int64?
    public var port: Int?
    public var transportType: String?
    public var secret: String?
    public var down: Bool?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case resourceNameSuffix = "resource_name_suffix"
        case peerSlots = "peer_slots"
        case alStripes = "al_stripes"
        case alStripeSizeKiB = "al_stripe_size_kib"
        case port
        case transportType = "transport_type"
        case secret, down
    }
}

/// `POST /v1/resource-definitions`.
public struct ResourceDefinitionCreateDTO: Codable, Sendable {
    public var resourceDefinition: ResourceDefinitionDTO = ResourceDefinitionDTO()
    public var drbdPort: Int?
    public var drbdSecret: String?
    public var drbdPeerSlots: Int?
    public var drbdTransportType: String?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case resourceDefinition = "resource_definition"
        case drbdPort = "drbd_port"
        case drbdSecret = "drbd_secret"
        case drbdPeerSlots = "drbd_peer_slots"
        case drbdTransportType = "drbd_transport_type"
    }
}

/// `PUT /v1/resource-definitions/{resource}`.
public struct ResourceDefinitionModifyDTO: Codable, Sendable {
    public var overrideProps: [String: String]?
    public var deleteProps: [String]?
    public var deleteNamespaces: [String]?
    public var drbdPort: Int?
    public var drbdPeerSlots: Int?
    public var layerStack: [String]?
    public var resourceGroup: String?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case overrideProps = "override_props"
        case deleteProps = "delete_props"
        case deleteNamespaces = "delete_namespaces"
        case drbdPort = "drbd_port"
        case drbdPeerSlots = "drbd_peer_slots"
        case layerStack = "layer_stack"
        case resourceGroup = "resource_group"
    }
}

/// A volume definition on the wire; also the inner object of its create body.
public struct VolumeDefinitionDTO: Codable, Sendable {
    public var volumeNumber: Int?
    public var sizeKiB: Int64 = 0
    public var props: [String: String]?
    public var flags: [String]?
    public var layerData: [VolumeDefinitionLayerDTO]?
    public var uuid: String?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case volumeNumber = "volume_number"
        case sizeKiB = "size_kib"
        case props, flags
        case layerData = "layer_data"
        case uuid
    }
}

/// One layer of a volume definition; only DRBD carries data (the minor).
public struct VolumeDefinitionLayerDTO: Codable, Sendable {
    public var type: String = ""
    public var data: DRBDVolumeDefinitionDTO?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, data
    }
}

/// The DRBD identity of a volume, the same on every node.
public struct DRBDVolumeDefinitionDTO: Codable, Sendable {
    public var resourceNameSuffix: String?
    public var volumeNumber: Int?
    public var minorNumber: Int?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case resourceNameSuffix = "resource_name_suffix"
        case volumeNumber = "volume_number"
        case minorNumber = "minor_number"
    }
}

/// `POST /v1/resource-definitions/{resource}/volume-definitions`.
public struct VolumeDefinitionCreateDTO: Codable, Sendable {
    public var volumeDefinition: VolumeDefinitionDTO = VolumeDefinitionDTO()
    public var drbdMinorNumber: Int?
    public var passphrase: String?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case volumeDefinition = "volume_definition"
        case drbdMinorNumber = "drbd_minor_number"
        case passphrase
    }
}

/// `PUT /v1/resource-definitions/{resource}/volume-definitions/{number}`.
public struct VolumeDefinitionModifyDTO: Codable, Sendable {
    public var sizeKiB: Int64?
    public var overrideProps: [String: String]?
    public var deleteProps: [String]?
    public var deleteNamespaces: [String]?
    public var flags: [String]?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case sizeKiB = "size_kib"
        case overrideProps = "override_props"
        case deleteProps = "delete_props"
        case deleteNamespaces = "delete_namespaces"
        case flags
    }
}

/// `ResourceDefinitionSyncStatus`: whether every replica is in sync (python-linstor's
/// `resource_dfn_wait_synced`, OpenNebula's wait for a new volume).
public struct ResourceDefinitionSyncStatusDTO: Codable, Sendable {
    public var syncedOnAll: Bool

    public init(syncedOnAll: Bool) {
        self.syncedOnAll = syncedOnAll
    }

    enum CodingKeys: String, CodingKey {
        case syncedOnAll = "synced_on_all"
    }
}
