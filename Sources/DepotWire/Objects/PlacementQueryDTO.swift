/// `ResourceGroupAdjust`: the optional body of `POST /v1/resource-groups/{rg}/adjust`.
public struct ResourceGroupAdjustDTO: Codable, Sendable {
    public var selectFilter: AutoSelectFilterDTO?
    public var snapNames: [String]?
    public var copyAllSnaps: Bool?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case selectFilter = "select_filter"
        case snapNames = "snap_names"
        case copyAllSnaps = "copy_all_snaps"
    }
}

/// `NodeEvacuate`: where an evacuated node's replicas may (or may not) go.
public struct NodeEvacuateDTO: Codable, Sendable {
    public var target: [String]?
    public var doNotTarget: [String]?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case target
        case doNotTarget = "do_not_target"
    }
}

/// `QuerySizeInfoRequest`.
public struct QuerySizeInfoRequestDTO: Codable, Sendable {
    public var selectFilter: AutoSelectFilterDTO?
    public var ignoreCacheOlderThanSec: Int?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case selectFilter = "select_filter"
        case ignoreCacheOlderThanSec = "ignore_cache_older_than_sec"
    }
}

/// `QueryAllSizeInfoRequest`: the size query for every resource group at once, which the Proxmox
/// plugin sends every few seconds for its storage status; the same fields as one group's query.
public typealias QueryAllSizeInfoRequestDTO = QuerySizeInfoRequestDTO

/// `QueryAllSizeInfoResponse`: one `QuerySizeInfoResponse` per resource group, by name.
public struct QueryAllSizeInfoResponseDTO: Codable, Sendable {
    public var result: [String: QuerySizeInfoResponseDTO]
    public var reports: [ApiCallRcDTO]?

    public init(result: [String: QuerySizeInfoResponseDTO], reports: [ApiCallRcDTO]?) {
        self.result = result
        self.reports = reports
    }
}

/// `QuerySizeInfoResponse`: how large a volume the group's next spawn can have, and where it goes.
public struct QuerySizeInfoResponseDTO: Codable, Sendable {
    public var spaceInfo: SpaceInfo?
    public var reports: [ApiCallRcDTO]?

    public init(spaceInfo: SpaceInfo?, reports: [ApiCallRcDTO]?) {
        self.spaceInfo = spaceInfo
        self.reports = reports
    }

    enum CodingKeys: String, CodingKey {
        case spaceInfo = "space_info"
        case reports
    }

    public struct SpaceInfo: Codable, Sendable {
        public var maxVolumeSizeKiB: Int64
        public var availableSizeKiB: Int64
        public var capacityKiB: Int64
        public var defaultMaxOversubscriptionRatio: Double
        public var nextSpawnResult: [SpawnResult]?

        public init(maxVolumeSizeKiB: Int64, availableSizeKiB: Int64, capacityKiB: Int64, defaultMaxOversubscriptionRatio: Double, nextSpawnResult: [SpawnResult]?) {
            self.maxVolumeSizeKiB = maxVolumeSizeKiB
            self.availableSizeKiB = availableSizeKiB
            self.capacityKiB = capacityKiB
            self.defaultMaxOversubscriptionRatio = defaultMaxOversubscriptionRatio
            self.nextSpawnResult = nextSpawnResult
        }

        enum CodingKeys: String, CodingKey {
            case maxVolumeSizeKiB = "max_vlm_size_in_kib"
            case availableSizeKiB = "available_size_in_kib"
            case capacityKiB = "capacity_in_kib"
            case defaultMaxOversubscriptionRatio = "default_max_oversubscription_ratio"
            case nextSpawnResult = "next_spawn_result"
        }
    }

    public struct SpawnResult: Codable, Sendable {
        public var nodeName: String
        public var storagePoolName: String
        public var oversubscriptionRatio: Double?
        public var freeCapacityOversubscriptionRatio: Double?
        public var totalCapacityOversubscriptionRatio: Double?

        public init(
            nodeName: String, storagePoolName: String, oversubscriptionRatio: Double?, freeCapacityOversubscriptionRatio: Double?, totalCapacityOversubscriptionRatio: Double?
        ) {
            self.nodeName = nodeName
            self.storagePoolName = storagePoolName
            self.oversubscriptionRatio = oversubscriptionRatio
            self.freeCapacityOversubscriptionRatio = freeCapacityOversubscriptionRatio
            self.totalCapacityOversubscriptionRatio = totalCapacityOversubscriptionRatio
        }

        enum CodingKeys: String, CodingKey {
            case nodeName = "node_name"
            case storagePoolName = "stor_pool_name"
            case oversubscriptionRatio = "stor_pool_oversubscription_ratio"
            case freeCapacityOversubscriptionRatio = "stor_pool_free_capacity_oversubscription_ratio"
            case totalCapacityOversubscriptionRatio = "stor_pool_total_capacity_oversubscription_ratio"
        }
    }
}

/// `MaxVolumeSizes`, the answer of the deprecated `query-max-volume-size`.
public struct MaxVolumeSizesDTO: Codable, Sendable {
    public var candidates: [Candidate]?
    public var defaultMaxOversubscriptionRatio: Double

    public init(candidates: [Candidate]?, defaultMaxOversubscriptionRatio: Double) {
        self.candidates = candidates
        self.defaultMaxOversubscriptionRatio = defaultMaxOversubscriptionRatio
    }

    enum CodingKeys: String, CodingKey {
        case candidates
        case defaultMaxOversubscriptionRatio = "default_max_oversubscription_ratio"
    }

    public struct Candidate: Codable, Sendable {
        public var storagePool: String
        public var maxVolumeSizeKiB: Int64
        public var nodeNames: [String]
        public var allThin: Bool

        public init(storagePool: String, maxVolumeSizeKiB: Int64, nodeNames: [String], allThin: Bool) {
            self.storagePool = storagePool
            self.maxVolumeSizeKiB = maxVolumeSizeKiB
            self.nodeNames = nodeNames
            self.allThin = allThin
        }

        enum CodingKeys: String, CodingKey {
            case storagePool = "storage_pool"
            case maxVolumeSizeKiB = "max_volume_size_kib"
            case nodeNames = "node_names"
            case allThin = "all_thin"
        }
    }
}
