/// A profile for resource definitions: placement rules, properties, peer slots.
public struct ResourceGroup: Sendable, Codable, Equatable {
    public var name: String
    public var description: String?
    public var props: [String: String]
    public var selectFilter: AutoSelectFilter
    public var peerSlots: Int?
    public var volumeGroups: [Int: VolumeGroup]
    public var uuid: String

    public init(name: String, uuid: String) {
        self.name = name
        self.description = nil
        self.props = [:]
        self.selectFilter = AutoSelectFilter()
        self.peerSlots = nil
        self.volumeGroups = [:]
        self.uuid = uuid
    }

    public var key: ObjectKey { ObjectKey(self.name) }

    /// The group every resource definition belongs to unless told otherwise.
    public static let defaultName = "DfltRscGrp"
}

/// Per-volume-number properties that a resource group gives its definitions' volumes.
public struct VolumeGroup: Sendable, Codable, Equatable {
    public var number: Int
    public var props: [String: String]
    public var flags: Set<String>
    public var uuid: String

    public init(number: Int, props: [String: String] = [:], flags: Set<String> = [], uuid: String) {
        self.number = number
        self.props = props
        self.flags = flags
        self.uuid = uuid
    }
}

/// The placement rules of LINSTOR's autoplacer; every field is optional and merges with the group's.
public struct AutoSelectFilter: Sendable, Codable, Equatable {
    public var placeCount: Int?
    public var additionalPlaceCount: Int?
    public var nodeNameList: [String]?
    public var storagePool: String?
    public var storagePoolList: [String]?
    public var storagePoolDisklessList: [String]?
    public var notPlaceWithResource: [String]?
    public var notPlaceWithResourceRegex: String?
    public var replicasOnSame: [String]?
    public var replicasOnDifferent: [String]?
    public var xReplicasOnDifferentMap: [String: Int]?
    public var layerStack: [String]?
    public var providerList: [String]?
    public var disklessOnRemaining: Bool?
    public var disklessType: String?
    public var overprovision: Double?

    public init() {}
}
