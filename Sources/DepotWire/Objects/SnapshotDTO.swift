/// `Snapshot`: a snapshot definition with its per-node snapshots, as LINSTOR lists it; also the
/// body of `POST .../snapshots` (only `name`, `nodes`, `props` and `flags` are read there).
public struct SnapshotDTO: Codable, Sendable, Equatable {
    public var name: String?
    public var resourceName: String?
    public var nodes: [String]?
    public var props: [String: String]?
    public var snapshotDefinitionProps: [String: String]?
    public var resourceDefinitionProps: [String: String]?
    public var flags: [String]?
    public var volumeDefinitions: [SnapshotVolumeDefinitionDTO]?
    public var uuid: String?
    public var snapshots: [SnapshotNodeDTO]?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name
        case resourceName = "resource_name"
        case nodes, props
        case snapshotDefinitionProps = "snapshot_definition_props"
        case resourceDefinitionProps = "resource_definition_props"
        case flags
        case volumeDefinitions = "volume_definitions"
        case uuid, snapshots
    }
}

/// `SnapshotVolumeDefinition`.
public struct SnapshotVolumeDefinitionDTO: Codable, Sendable, Equatable {
    public var volumeNumber: Int = 0
    public var sizeKiB: Int64 = 0
    public var snapshotVolumeDefinitionProps: [String: String]?
    public var volumeDefinitionProps: [String: String]?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case volumeNumber = "volume_number"
        case sizeKiB = "size_kib"
        case snapshotVolumeDefinitionProps = "snapshot_volume_definition_props"
        case volumeDefinitionProps = "volume_definition_props"
    }
}

/// `SnapshotNode`: the snapshot on one node.
public struct SnapshotNodeDTO: Codable, Sendable, Equatable {
    public var snapshotName: String = ""
    public var nodeName: String = ""
    public var createTimestamp: Int64?
    public var flags: [String] = []
    public var uuid: String?
    public var snapshotVolumes: [SnapshotVolumeNodeDTO]?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case snapshotName = "snapshot_name"
        case nodeName = "node_name"
        case createTimestamp = "create_timestamp"
        case flags, uuid
        case snapshotVolumes = "snapshot_volumes"
    }
}

/// `SnapshotVolumeNode`.
public struct SnapshotVolumeNodeDTO: Codable, Sendable, Equatable {
    public var uuid: String?
    public var vlmNr: Int = 0
    public var state: String?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case uuid
        case vlmNr = "vlm_nr"
        case state
    }
}

/// `CreateMultiSnapshotRequest`: snapshots of several resource definitions taken together.
public struct SnapshotMultiCreateDTO: Codable, Sendable {
    public var snapshots: [SnapshotDTO]?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case snapshots
    }
}

/// `SnapshotRestore`: the body of `snapshot-restore-resource` and `snapshot-restore-volume-definition`.
public struct SnapshotRestoreDTO: Codable, Sendable {
    public var toResource: String?
    public var nodes: [String]?
    public var storPoolRename: [String: String]?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case toResource = "to_resource"
        case nodes
        case storPoolRename = "stor_pool_rename"
    }
}

/// `SnapshotRollback`.
public struct SnapshotRollbackDTO: Codable, Sendable {
    public var zfsRollbackStrategy: String?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case zfsRollbackStrategy = "zfs_rollback_strategy"
    }
}
