/// A resource group on the wire; also its create body.
public struct ResourceGroupDTO: Codable, Sendable {
    public var name: String?
    public var description: String?
    public var props: [String: String]?
    public var selectFilter: AutoSelectFilterDTO?
    public var uuid: String?
    public var peerSlots: Int?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, description, props
        case selectFilter = "select_filter"
        case uuid
        case peerSlots = "peer_slots"
    }
}

/// `PUT /v1/resource-groups/{group}`.
public struct ResourceGroupModifyDTO: Codable, Sendable {
    public var description: String?
    public var overrideProps: [String: String]?
    public var deleteProps: [String]?
    public var deleteNamespaces: [String]?
    public var selectFilter: AutoSelectFilterDTO?
    public var peerSlots: Int?
    public var snapNames: [String]?
    public var copyAllSnaps: Bool?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case description
        case overrideProps = "override_props"
        case deleteProps = "delete_props"
        case deleteNamespaces = "delete_namespaces"
        case selectFilter = "select_filter"
        case peerSlots = "peer_slots"
        case snapNames = "snap_names"
        case copyAllSnaps = "copy_all_snaps"
    }
}

/// `POST /v1/resource-groups/{group}/spawn`.
public struct ResourceGroupSpawnDTO: Codable, Sendable {
    public var resourceDefinitionName: String?
    public var resourceDefinitionExternalName: String?
    public var volumeSizes: [Int64]?
    public var selectFilter: AutoSelectFilterDTO?
    public var partial: Bool?
    public var definitionsOnly: Bool?
    public var peerSlots: Int?
    public var volumePassphrases: [String]?
    public var resourceDefinitionProps: [String: String]?
    /// Depot's extension: answer with what would be created and placed, create nothing.
    public var dryRun: Bool?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case dryRun = "dry_run"
        case resourceDefinitionName = "resource_definition_name"
        case resourceDefinitionExternalName = "resource_definition_external_name"
        case volumeSizes = "volume_sizes"
        case selectFilter = "select_filter"
        case partial
        case definitionsOnly = "definitions_only"
        case peerSlots = "peer_slots"
        case volumePassphrases = "volume_passphrases"
        case resourceDefinitionProps = "resource_definition_props"
    }
}

/// A volume group on the wire; also its create body.
public struct VolumeGroupDTO: Codable, Sendable {
    public var volumeNumber: Int?
    public var props: [String: String]?
    public var uuid: String?
    public var flags: [String]?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case volumeNumber = "volume_number"
        case props, uuid, flags
    }
}

/// `PUT /v1/resource-groups/{group}/volume-groups/{number}`.
public struct VolumeGroupModifyDTO: Codable, Sendable {
    public var overrideProps: [String: String]?
    public var flags: [String]?
    public var deleteProps: [String]?
    public var deleteNamespaces: [String]?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case overrideProps = "override_props"
        case flags
        case deleteProps = "delete_props"
        case deleteNamespaces = "delete_namespaces"
    }
}

/// The autoplacer's filter, as groups store it and placement requests carry it.
public struct AutoSelectFilterDTO: Codable, Sendable {
    public var placeCount: Int?
    public var additionalPlaceCount: Int?
    public var nodeNameList: [String]?
    public var storagePool: String?
    public var storagePoolList: [String]?
    public var storagePoolDisklessList: [String]?
    public var notPlaceWithRsc: [String]?
    public var notPlaceWithRscRegex: String?
    public var replicasOnSame: [String]?
    public var replicasOnDifferent: [String]?
    public var xReplicasOnDifferentMap: [String: Int]?
    public var layerStack: [String]?
    public var providerList: [String]?
    public var disklessOnRemaining: Bool?
    public var disklessType: String?
    public var overprovision: Double?
    public var portCount: Int?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case placeCount = "place_count"
        case additionalPlaceCount = "additional_place_count"
        case nodeNameList = "node_name_list"
        case storagePool = "storage_pool"
        case storagePoolList = "storage_pool_list"
        case storagePoolDisklessList = "storage_pool_diskless_list"
        case notPlaceWithRsc = "not_place_with_rsc"
        case notPlaceWithRscRegex = "not_place_with_rsc_regex"
        case replicasOnSame = "replicas_on_same"
        case replicasOnDifferent = "replicas_on_different"
        case xReplicasOnDifferentMap = "x_replicas_on_different_map"
        case layerStack = "layer_stack"
        case providerList = "provider_list"
        case disklessOnRemaining = "diskless_on_remaining"
        case disklessType = "diskless_type"
        case overprovision
        case portCount = "port_count"
    }
}

/// `POST /v1/resource-definitions/{resource}/autoplace`.
public struct AutoPlaceRequestDTO: Codable, Sendable {
    public var disklessOnRemaining: Bool?
    /// Absent in `{}`, which the Proxmox plugin sends: the group's filter then decides.
    public var selectFilter: AutoSelectFilterDTO?
    public var layerList: [String]?
    public var snapNames: [String]?
    public var copyAllSnaps: Bool?
    /// Depot's extension: answer with the choice and its scores, create nothing.
    public var dryRun: Bool?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case disklessOnRemaining = "diskless_on_remaining"
        case selectFilter = "select_filter"
        case layerList = "layer_list"
        case snapNames = "snap_names"
        case copyAllSnaps = "copy_all_snaps"
        case dryRun = "dry_run"
    }
}
