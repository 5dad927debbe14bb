/// A point-in-time copy of a resource definition's volumes on some of its nodes: LINSTOR's snapshot
/// definition with its per-node snapshots in one value.
///
/// Consistent across nodes: it is taken while DRBD holds I/O on every replica of the definition
/// (``phase`` records each step so that `snapshot list` shows where it stands). It outlives the
/// replicas it was taken from: restore and rollback need only the snapshot and its nodes.
public struct SnapshotDefinition: Sendable, Codable, Equatable {
    public var resourceName: String
    public var name: String
    public var props: [String: String]
    /// ``SnapshotFlag`` values.
    public var flags: Set<String>
    /// Where taking it stands; `nil` once it succeeded or failed.
    public var phase: SnapshotPhase?
    /// Why it failed, for `snapshot list` and the create call's answer.
    public var failure: String?
    /// Snapshots taken together in one call: each step waits for all of them, so they are
    /// consistent with each other (the disks of one VM, say).
    public var group: String?
    /// The clone this snapshot is taken for, which also snapshots thick LVM and FILE volumes (users
    /// snapshot thin pools only); `nil` for users' snapshots.
    public var clone: String?
    /// The layer stack of the definition when it was taken (restore rebuilds it).
    public var layerStack: [LayerKind]
    /// The resource definition's properties when it was taken.
    public var resourceDefinitionProps: [String: String]
    public var volumes: [Int: SnapshotVolumeDefinition]
    /// Keyed by node name as given.
    public var nodes: [String: SnapshotOnNode]
    public var uuid: String

    public init(resourceName: String, name: String, layerStack: [LayerKind], uuid: String) {
        self.resourceName = resourceName
        self.name = name
        self.props = [:]
        self.flags = []
        self.phase = nil
        self.failure = nil
        self.group = nil
        self.clone = nil
        self.layerStack = layerStack
        self.resourceDefinitionProps = [:]
        self.volumes = [:]
        self.nodes = [:]
        self.uuid = uuid
    }

    public var key: SnapshotKey { SnapshotKey(resource: ObjectKey(self.resourceName), snapshot: ObjectKey(self.name)) }

    /// Taken on every node and usable for restore and rollback.
    public var isSuccessful: Bool { self.flags.contains(SnapshotFlag.successful) }

    /// The node's snapshot, by case-insensitive node name.
    public func node(_ name: String) -> SnapshotOnNode? {
        self.nodes[name] ?? self.nodes.first { ObjectKey($0.key) == ObjectKey(name) }?.value
    }
}

/// The steps of taking a consistent snapshot; each waits for every involved satellite.
public enum SnapshotPhase: String, Sendable, Codable, Equatable {
    /// DRBD suspends I/O on every replica of the definition.
    case suspending = "SUSPENDING"
    /// The storage layers take the snapshot on the snapshot's nodes.
    case taking = "TAKING"
    /// DRBD resumes I/O everywhere.
    case resuming = "RESUMING"
    /// Something failed: I/O resumes everywhere and the partial snapshots go.
    case aborting = "ABORTING"
}

/// The size of one volume when the snapshot was taken.
public struct SnapshotVolumeDefinition: Sendable, Codable, Equatable {
    public var number: Int
    public var sizeKiB: Int64
    /// The volume definition's properties when it was taken.
    public var volumeDefinitionProps: [String: String]
    /// The LUKS passphrase the snapshot's headers take: a restore or clone needs it to open them.
    public var passphrase: SealedVolumePassphrase?

    public init(number: Int, sizeKiB: Int64, volumeDefinitionProps: [String: String] = [:]) {
        self.number = number
        self.sizeKiB = sizeKiB
        self.volumeDefinitionProps = volumeDefinitionProps
    }
}

/// The snapshot on one node: where its volumes live and the replica's DRBD identity.
public struct SnapshotOnNode: Sendable, Codable, Equatable {
    public var nodeName: String
    public var createTimestamp: Int64
    /// Volume number → storage pool name.
    public var storagePools: [Int: String]
    /// The replica's DRBD node-id: its metadata in the snapshot carries it, so a restore keeps it.
    public var drbdNodeID: Int?
    public var uuid: String

    public init(nodeName: String, createTimestamp: Int64, storagePools: [Int: String], drbdNodeID: Int?, uuid: String) {
        self.nodeName = nodeName
        self.createTimestamp = createTimestamp
        self.storagePools = storagePools
        self.drbdNodeID = drbdNodeID
        self.uuid = uuid
    }
}

/// The identity of a snapshot: its resource definition's key and its own (case-insensitive) name.
public struct SnapshotKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let resource: ObjectKey
    public let snapshot: ObjectKey

    public init(resource: ObjectKey, snapshot: ObjectKey) {
        self.resource = resource
        self.snapshot = snapshot
    }

    public static func < (lhs: SnapshotKey, rhs: SnapshotKey) -> Bool {
        (lhs.resource, lhs.snapshot) < (rhs.resource, rhs.snapshot)
    }

    public var description: String { "\(self.resource)/\(self.snapshot)" }
}

/// Snapshot flag names as LINSTOR spells them.
public enum SnapshotFlag {
    public static let successful = "SUCCESSFUL"
    public static let failedDeployment = "FAILED_DEPLOYMENT"
    public static let failedDisconnect = "FAILED_DISCONNECT"
    public static let autoSnapshot = "AUTO_SNAPSHOT"
}
