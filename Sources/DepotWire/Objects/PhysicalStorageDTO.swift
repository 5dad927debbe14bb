/// One unused disk on a node, as `GET /v1/physical-storage/{node}` lists it (LINSTOR's
/// `PhysicalStorageNode`): what an administrator can turn into a storage pool. The satellite
/// sends the same form to the controller.
public struct PhysicalStorageNodeDTO: Codable, Sendable, Equatable {
    /// Bytes.
    public var size: Int64
    public var rotational: Bool
    public var device: String
    public var model: String?
    public var serial: String?
    public var wwn: String?

    public init(size: Int64, rotational: Bool, device: String, model: String? = nil, serial: String? = nil, wwn: String? = nil) {
        self.size = size
        self.rotational = rotational
        self.device = device
        self.model = model
        self.serial = serial
        self.wwn = wwn
    }
}

/// A disk within a group of `GET /v1/physical-storage` (LINSTOR's `PhysicalStorageDevice`).
public struct PhysicalStorageDeviceDTO: Codable, Sendable, Equatable {
    public var device: String
    public var model: String?
    public var serial: String?
    public var wwn: String?

    public init(device: String, model: String? = nil, serial: String? = nil, wwn: String? = nil) {
        self.device = device
        self.model = model
        self.serial = serial
        self.wwn = wwn
    }
}

/// Disks of one size and kind across the cluster (LINSTOR's `PhysicalStorage`): the list an
/// administrator reads to pick the same disk on every node.
public struct PhysicalStorageDTO: Codable, Sendable, Equatable {
    /// Bytes.
    public var size: Int64
    public var rotational: Bool
    /// Node name → its disks of this size and kind.
    public var nodes: [String: [PhysicalStorageDeviceDTO]]

    public init(size: Int64, rotational: Bool, nodes: [String: [PhysicalStorageDeviceDTO]]) {
        self.size = size
        self.rotational = rotational
        self.nodes = nodes
    }
}

/// `POST /v1/physical-storage/{node}` (`physical-storage create-device-pool`): a volume group, thin
/// pool or zpool made on unused disks, and optionally a storage pool on it.
public struct PhysicalStorageCreateDTO: Codable, Sendable, Equatable {
    public var providerKind: String
    public var devicePaths: [String]
    public var raidLevel: String?
    public var poolName: String?
    public var vdoEnable: Bool?
    public var vdoSlabSizeKib: Int64?
    public var vdoLogicalSizeKib: Int64?
    public var withStoragePool: PhysicalStorageStoragePoolDTO?
    public var sed: Bool?
    public var pvCreateArguments: [String]?
    public var vgCreateArguments: [String]?
    public var lvCreateArguments: [String]?
    public var zpoolCreateArguments: [String]?

    public init(providerKind: String, devicePaths: [String], poolName: String? = nil, withStoragePool: PhysicalStorageStoragePoolDTO? = nil) {
        self.providerKind = providerKind
        self.devicePaths = devicePaths
        self.poolName = poolName
        self.withStoragePool = withStoragePool
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case providerKind = "provider_kind"
        case devicePaths = "device_paths"
        case raidLevel = "raid_level"
        case poolName = "pool_name"
        case vdoEnable = "vdo_enable"
        case vdoSlabSizeKib = "vdo_slab_size_kib"
        case vdoLogicalSizeKib = "vdo_logical_size_kib"
        case withStoragePool = "with_storage_pool"
        case sed
        case pvCreateArguments = "pv_create_arguments"
        case vgCreateArguments = "vg_create_arguments"
        case lvCreateArguments = "lv_create_arguments"
        case zpoolCreateArguments = "zpool_create_arguments"
    }
}

/// The storage pool `create-device-pool` also makes (LINSTOR's `PhysicalStorageStoragePoolCreate`).
public struct PhysicalStorageStoragePoolDTO: Codable, Sendable, Equatable {
    public var name: String?
    public var props: [String: String]?
    public var sharedSpace: String?
    public var externalLocking: Bool?

    public init(name: String? = nil, props: [String: String]? = nil) {
        self.name = name
        self.props = props
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, props
        case sharedSpace = "shared_space"
        case externalLocking = "external_locking"
    }
}
