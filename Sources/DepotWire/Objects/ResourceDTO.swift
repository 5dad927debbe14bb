/// A resource with its volumes, as `/v1/view/resources` and `.../resources` list them.
public struct ResourceDTO: Codable, Sendable {
    public var name: String?
    public var nodeName: String?
    public var props: [String: String]?
    public var flags: [String]?
    public var layerObject: ResourceLayerDTO?
    public var state: ResourceStateDTO?
    public var uuid: String?
    public var createTimestamp: Int64?
    public var volumes: [VolumeDTO]?
    public var sharedName: String?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name
        case nodeName = "node_name"
        case props, flags
        case layerObject = "layer_object"
        case state, uuid
        case createTimestamp = "create_timestamp"
        case volumes
        case sharedName = "shared_name"
    }
}

/// What the satellite last reported about a resource.
public struct ResourceStateDTO: Codable, Sendable {
    public var inUse: Bool?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case inUse = "in_use"
    }
}

/// One layer of a resource's device stack and the layers below it.
public struct ResourceLayerDTO: Codable, Sendable {
    public var children: [ResourceLayerDTO]?
    public var resourceNameSuffix: String?
    public var type: String = ""
    public var drbd: DRBDResourceDTO?
    public var luks: LUKSResourceDTO?
    public var storage: StorageResourceDTO?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case children
        case resourceNameSuffix = "resource_name_suffix"
        case type, drbd, luks, storage
    }
}

/// The DRBD layer of one replica.
public struct DRBDResourceDTO: Codable, Sendable {
    public var drbdResourceDefinition: DRBDResourceDefinitionLayerDTO?
    public var nodeID: Int?
    public var tcpPorts: [Int]?
    public var peerSlots: Int?
    public var alStripes: Int?
    public var alSize: Int64?
    public var flags: [String]?
    public var drbdVolumes: [DRBDVolumeDTO]?
    public var connections: [String: DRBDConnectionDTO]?
    public var promotionScore: Int?
    public var mayPromote: Bool?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case drbdResourceDefinition = "drbd_resource_definition"
        case nodeID = "node_id"
        case tcpPorts = "tcp_ports"
        case peerSlots = "peer_slots"
        case alStripes = "al_stripes"
        case alSize = "al_size"
        case flags
        case drbdVolumes = "drbd_volumes"
        case connections
        case promotionScore = "promotion_score"
        case mayPromote = "may_promote"
    }
}

/// The DRBD device of one volume of one replica.
public struct DRBDVolumeDTO: Codable, Sendable {
    public var drbdVolumeDefinition: DRBDVolumeDefinitionDTO?
    public var devicePath: String?
    public var backingDevice: String?
    public var metaDisk: String?
    public var allocatedSizeKiB: Int64?
    public var usableSizeKiB: Int64?
    public var diskState: String?
    public var extMetaStorPool: String?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case drbdVolumeDefinition = "drbd_volume_definition"
        case devicePath = "device_path"
        case backingDevice = "backing_device"
        case metaDisk = "meta_disk"
        case allocatedSizeKiB = "allocated_size_kib"
        case usableSizeKiB = "usable_size_kib"
        case diskState = "disk_state"
        case extMetaStorPool = "ext_meta_stor_pool"
    }
}

/// A replica's view of its link to one peer.
public struct DRBDConnectionDTO: Codable, Sendable {
    public var connected: Bool?
    public var message: String?

    public init() {}
}

/// The LUKS layer of one replica.
public struct LUKSResourceDTO: Codable, Sendable {
    public var luksVolumes: [LUKSVolumeDTO]?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case luksVolumes = "luks_volumes"
    }
}

/// The encrypted device of one volume.
public struct LUKSVolumeDTO: Codable, Sendable {
    public var volumeNumber: Int?
    public var devicePath: String?
    public var backingDevice: String?
    public var allocatedSizeKiB: Int64?
    public var usableSizeKiB: Int64?
    public var diskState: String?
    public var opened: Bool?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case volumeNumber = "volume_number"
        case devicePath = "device_path"
        case backingDevice = "backing_device"
        case allocatedSizeKiB = "allocated_size_kib"
        case usableSizeKiB = "usable_size_kib"
        case diskState = "disk_state"
        case opened
    }
}

/// The storage layer of one replica.
public struct StorageResourceDTO: Codable, Sendable {
    public var storageVolumes: [StorageVolumeDTO]?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case storageVolumes = "storage_volumes"
    }
}

/// The backing volume of one volume (an LV, a zvol, a loop device).
public struct StorageVolumeDTO: Codable, Sendable {
    public var volumeNumber: Int?
    public var devicePath: String?
    public var allocatedSizeKiB: Int64?
    public var usableSizeKiB: Int64?
    public var diskState: String?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case volumeNumber = "volume_number"
        case devicePath = "device_path"
        case allocatedSizeKiB = "allocated_size_kib"
        case usableSizeKiB = "usable_size_kib"
        case diskState = "disk_state"
    }
}

/// A volume of a resource.
public struct VolumeDTO: Codable, Sendable {
    public var volumeNumber: Int?
    public var storagePoolName: String?
    public var providerKind: String?
    public var devicePath: String?
    public var allocatedSizeKiB: Int64?
    public var usableSizeKiB: Int64?
    public var props: [String: String]?
    public var flags: [String]?
    public var state: VolumeStateDTO?
    public var layerDataList: [VolumeLayerDTO]?
    public var uuid: String?
    public var reports: [ApiCallRcDTO]?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case volumeNumber = "volume_number"
        case storagePoolName = "storage_pool_name"
        case providerKind = "provider_kind"
        case devicePath = "device_path"
        case allocatedSizeKiB = "allocated_size_kib"
        case usableSizeKiB = "usable_size_kib"
        case props, flags, state
        case layerDataList = "layer_data_list"
        case uuid, reports
    }
}

/// What the satellite last reported about a volume.
public struct VolumeStateDTO: Codable, Sendable {
    public var diskState: String?
    /// Keyed by peer node name.
    public var replicationStates: [String: ReplicationStateDTO]?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case diskState = "disk_state"
        case replicationStates = "replication_states"
    }
}

/// How one peer replicates a volume, with the resync progress while it syncs.
public struct ReplicationStateDTO: Codable, Sendable {
    public var replicationState: String?
    public var donePercentage: Double?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case replicationState = "replication_state"
        case donePercentage = "done_percentage"
    }
}

/// One layer's data for a volume, in `layer_data_list`.
public struct VolumeLayerDTO: Codable, Sendable {
    public var type: String = ""
    public var data: VolumeLayerDataDTO?

    public init() {}
}

/// The per-layer volume data; exactly one case applies for a given layer type.
public enum VolumeLayerDataDTO: Codable, Sendable {
    case drbd(DRBDVolumeDTO)
    case luks(LUKSVolumeDTO)
    case storage(StorageVolumeDTO)

    public init(from decoder: any Decoder) throws {
        self = .storage(try StorageVolumeDTO(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .drbd(let value): try value.encode(to: encoder)
        case .luks(let value): try value.encode(to: encoder)
        case .storage(let value): try value.encode(to: encoder)
        }
    }
}

/// One element of the `POST .../resources` body (an array).
public struct ResourceCreateDTO: Codable, Sendable {
    public var resource: ResourceDTO = ResourceDTO()
    public var layerList: [String]?
    public var drbdNodeID: Int?
    public var drbdTCPPortCount: Int?
    public var drbdTCPPorts: [Int]?
    public var snapNames: [String]?
    public var copyAllSnaps: Bool?
    public var drbdClient: Bool?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case resource
        case layerList = "layer_list"
        case drbdNodeID = "drbd_node_id"
        case drbdTCPPortCount = "drbd_tcp_port_count"
        case drbdTCPPorts = "drbd_tcp_ports"
        case snapNames = "snap_names"
        case copyAllSnaps = "copy_all_snaps"
        case drbdClient = "drbd_client"
    }
}

/// `PUT /v1/resource-definitions/{resource}/resources/{node}`.
public struct ResourceModifyDTO: Codable, Sendable {
    public var overrideProps: [String: String]?
    public var deleteProps: [String]?
    public var deleteNamespaces: [String]?
    public var drbdTiebreaker: Bool?
    public var drbdClient: Bool?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case overrideProps = "override_props"
        case deleteProps = "delete_props"
        case deleteNamespaces = "delete_namespaces"
        case drbdTiebreaker = "drbd_tiebreaker"
        case drbdClient = "drbd_client"
    }
}

/// `PUT .../resources/{node}/toggle-disk`: into a diskful, diskless or client replica.
public struct ToggleDiskDTO: Codable, Sendable {
    public var operation: String?
    public var storagePool: String?
    public var migrateFrom: String?
    public var layerList: [String]?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case operation
        case storagePool = "storage_pool"
        case migrateFrom = "migrate_from"
        case layerList = "layer_list"
    }
}

/// `POST .../resources/{node}/make-available`: a usable replica on the node, diskful or not, however
/// it has to come about (VM start on a node without a replica, in every platform driver).
public struct ResourceMakeAvailableDTO: Codable, Sendable {
    public var diskful: Bool?
    public var layerList: [String]?
    public var drbdTCPPorts: [Int]?
    public var snapNames: [String]?
    public var copyAllSnaps: Bool?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case diskful
        case layerList = "layer_list"
        case drbdTCPPorts = "drbd_tcp_ports"
        case snapNames = "snap_names"
        case copyAllSnaps = "copy_all_snaps"
    }
}
