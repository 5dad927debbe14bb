/// A resource definition deployed on one node.
public struct Resource: Sendable, Codable, Equatable {
    public var resourceName: String
    public var nodeName: String
    public var props: [String: String]
    public var flags: Set<String>
    public var layerStack: [LayerKind]
    public var volumes: [Int: Volume]
    public var drbd: DRBDResourceData?
    public var createTimestamp: Int64
    public var uuid: String

    public init(
        resourceName: String,
        nodeName: String,
        props: [String: String],
        flags: Set<String>,
        layerStack: [LayerKind],
        createTimestamp: Int64,
        uuid: String
    ) {
        self.resourceName = resourceName
        self.nodeName = nodeName
        self.props = props
        self.flags = flags
        self.layerStack = layerStack
        self.volumes = [:]
        self.drbd = nil
        self.createTimestamp = createTimestamp
        self.uuid = uuid
    }

    /// Keyed by resource name first so a definition's resources are adjacent.
    public var key: ResourceKey { ResourceKey(resource: ObjectKey(self.resourceName), node: ObjectKey(self.nodeName)) }

    public var isDiskless: Bool { self.flags.contains(ResourceFlag.diskless) }
}

/// Resource flag names as LINSTOR spells them.
public enum ResourceFlag {
    public static let diskless = "DISKLESS"
    public static let drbdDiskless = "DRBD_DISKLESS"
    public static let delete = "DELETE"
    public static let inactive = "INACTIVE"
    public static let tieBreaker = "TIE_BREAKER"
    /// The replica is moving off its node (`node evacuate`).
    public static let evacuate = "EVACUATE"
    public static let nvmeInitiator = "NVME_INITIATOR"
    public static let ebsInitiator = "EBS_INITIATOR"
    /// The volumes are made from a snapshot (volume properties ``Volume/restoreFromResourceKey`` and
    /// ``Volume/restoreFromSnapshotKey`` name it) until the node reports them there.
    public static let restoreFromSnapshot = "RESTORE_FROM_SNAPSHOT"

    /// Flags a client may ask for when creating a resource.
    public static let creatable: Set<String> = [diskless, drbdDiskless, inactive, nvmeInitiator, ebsInitiator]
}

/// The DRBD identity of one replica: its node-id and the ports it listens on.
public struct DRBDResourceData: Sendable, Codable, Equatable {
    public var nodeID: Int
    public var tcpPorts: [Int]
    public var peerSlots: Int
    public var alStripes: Int
    public var alSizeKiB: Int64

    public init(nodeID: Int, tcpPorts: [Int], peerSlots: Int, alStripes: Int, alSizeKiB: Int64) {
        self.nodeID = nodeID
        self.tcpPorts = tcpPorts
        self.peerSlots = peerSlots
        self.alStripes = alStripes
        self.alSizeKiB = alSizeKiB
    }
}

/// A volume of a resource on its node, in one storage pool.
public struct Volume: Sendable, Codable, Equatable {
    public var number: Int
    public var storagePoolName: String
    public var props: [String: String]
    public var flags: Set<String>
    public var uuid: String

    public init(number: Int, storagePoolName: String, props: [String: String] = [:], uuid: String) {
        self.number = number
        self.storagePoolName = storagePoolName
        self.props = props
        self.flags = []
        self.uuid = uuid
    }

    /// LINSTOR's volume properties naming the snapshot a restored volume was made from.
    public static let restoreFromResourceKey = "RestoreFromResource"
    public static let restoreFromSnapshotKey = "RestoreFromSnapshot"

    /// LINSTOR's backing volume name: `<resource>_<volume number, 5 digits>`.
    public static func backingName(resource: String, volumeNumber: Int) -> String {
        let digits = String(volumeNumber)
        return resource + "_" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }
}
