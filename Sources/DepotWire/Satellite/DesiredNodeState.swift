public import DepotModel

/// Everything one node must look like: its pools and its resources with what it needs of peers.
///
/// Sent whole (level-triggered): applying the same state twice changes nothing, and a satellite that
/// restarted or reconnected converges from the next one it receives.
public struct DesiredNodeState: Codable, Sendable, Equatable {
    /// Increases with every change of the controller's state; reports name the version they applied.
    public var version: UInt64
    public var nodeName: String
    public var storagePools: [DesiredStoragePool]
    public var resources: [DesiredResource]
    /// The snapshots this node keeps or takes, also of resources it no longer has.
    public var snapshots: [DesiredSnapshot]
    /// Resources (by key, upper-cased names) the controller left out at start because their stored
    /// rows are unusable: the node leaves their volumes, devices and snapshots exactly as they
    /// are instead of removing them as unwanted. Nil when there are none.
    public var heldResources: [String]?

    public init(
        version: UInt64, nodeName: String, storagePools: [DesiredStoragePool], resources: [DesiredResource], snapshots: [DesiredSnapshot] = []
    ) {
        self.version = version
        self.nodeName = nodeName
        self.storagePools = storagePools
        self.resources = resources
        self.snapshots = snapshots
    }
}

/// A storage pool as the satellite's provider needs it.
public struct DesiredStoragePool: Codable, Sendable, Equatable {
    public var name: String
    /// Decoded strictly: a kind this satellite does not know fails the whole frame, never a silent skip.
    public var providerKind: ProviderKind
    /// `StorDriver/StorPoolName`: the VG, thin pool, zpool or directory.
    public var backingName: String?
    public var props: [String: String]

    public init(name: String, providerKind: ProviderKind, backingName: String?, props: [String: String]) {
        self.name = name
        self.providerKind = providerKind
        self.backingName = backingName
        self.props = props
    }
}

/// A resource on this node: its layers and volumes.
public struct DesiredResource: Codable, Sendable, Equatable {
    public var name: String
    /// Top to bottom, e.g. `[.drbd, .storage]`; the satellite refuses a resource whose layers it cannot all build.
    public var layers: [LayerKind]
    public var flags: [String]
    public var volumes: [DesiredVolume]
    /// Present when `layers` contains DRBD.
    public var drbd: DesiredDRBDResource?
    /// Hold I/O at the top DRBD layer (a consistent snapshot is being taken); `nil` or false: run it.
    public var suspendIO: Bool?
    /// Put the volumes back to a snapshot once, with DRBD down meanwhile.
    public var rollback: DesiredRollback?

    public init(name: String, layers: [LayerKind], flags: [String], volumes: [DesiredVolume], drbd: DesiredDRBDResource? = nil) {
        self.name = name
        self.layers = layers
        self.flags = flags
        self.volumes = volumes
        self.drbd = drbd
    }
}

/// One volume and the size its storage layer must provide.
public struct DesiredVolume: Codable, Sendable, Equatable {
    public var number: Int
    public var storagePool: String
    /// The usable size the user asked for.
    public var sizeKiB: Int64
    /// What the storage layer must provide (usable size plus the metadata of the layers above).
    public var storageSizeKiB: Int64
    /// Present when the resource has the DRBD layer.
    public var drbd: DesiredDRBDVolume?
    /// A missing volume is made from this snapshot instead of empty.
    public var restore: DesiredRestore?
    /// Present when the resource has the LUKS layer.
    public var luks: DesiredLUKSVolume?

    public init(number: Int, storagePool: String, sizeKiB: Int64, storageSizeKiB: Int64, drbd: DesiredDRBDVolume? = nil) {
        self.number = number
        self.storagePool = storagePool
        self.sizeKiB = sizeKiB
        self.storageSizeKiB = storageSizeKiB
        self.drbd = drbd
    }
}

/// What a satellite found after applying a desired state.
public struct NodeReport: Codable, Sendable, Equatable {
    /// The desired-state version this report answers.
    public var appliedVersion: UInt64
    public var storagePools: [StoragePoolReport]
    public var resources: [ResourceReport]
    /// The snapshots the desired state asks to take now (``DesiredSnapshot/take``), as they exist.
    public var snapshots: [SnapshotReport]

    public init(appliedVersion: UInt64, storagePools: [StoragePoolReport], resources: [ResourceReport], snapshots: [SnapshotReport] = []) {
        self.appliedVersion = appliedVersion
        self.storagePools = storagePools
        self.resources = resources
        self.snapshots = snapshots
    }
}

/// A pool's capacity, or why it could not be read.
public struct StoragePoolReport: Codable, Sendable, Equatable {
    public var name: String
    public var freeKiB: Int64?
    public var totalKiB: Int64?
    public var failure: CommandFailureDTO?

    public init(name: String, freeKiB: Int64?, totalKiB: Int64?, failure: CommandFailureDTO?) {
        self.name = name
        self.freeKiB = freeKiB
        self.totalKiB = totalKiB
        self.failure = failure
    }
}

/// A resource's observed volumes, or the failure that stopped its reconciliation.
public struct ResourceReport: Codable, Sendable, Equatable {
    public var name: String
    public var volumes: [VolumeReport]
    public var failure: CommandFailureDTO?
    /// The DRBD kernel state, when the resource has the DRBD layer and its state is known.
    public var drbd: DRBDResourceReport?
    /// DRBD holds the resource's I/O because the controller asked (``DesiredResource/suspendIO``).
    public var ioSuspended: Bool?
    /// Why holding the resource's I/O failed, while it is so: the snapshot that asked is aborted.
    public var ioSuspendFailure: CommandFailureDTO?
    /// The id of the last rollback the node finished for this resource.
    public var rolledBack: String?

    public init(name: String, volumes: [VolumeReport], failure: CommandFailureDTO?, drbd: DRBDResourceReport? = nil) {
        self.name = name
        self.volumes = volumes
        self.failure = failure
        self.drbd = drbd
    }
}

/// A volume as it really exists on the node.
public struct VolumeReport: Codable, Sendable, Equatable {
    public var number: Int
    public var devicePath: String?
    public var allocatedKiB: Int64?
    public var usableKiB: Int64?
    /// The top layer's disk state: DRBD's (UpToDate, Inconsistent, Diskless, …) when DRBD is there.
    public var diskState: String?
    /// `/dev/drbdN` once DRBD created the device.
    public var drbdDevicePath: String?
    /// Per peer node name, when DRBD is there.
    public var replication: [String: DRBDReplicationReport]?
    /// `/dev/mapper/…` while the LUKS layer has the volume open.
    public var luksDevicePath: String?
    /// The passphrase generation the volume's LUKS header was last seen to take.
    public var luksGeneration: Int?

    public init(
        number: Int, devicePath: String?, allocatedKiB: Int64?, usableKiB: Int64?, diskState: String?, drbdDevicePath: String? = nil,
        replication: [String: DRBDReplicationReport]? = nil
    ) {
        self.number = number
        self.devicePath = devicePath
        self.allocatedKiB = allocatedKiB
        self.usableKiB = usableKiB
        self.diskState = diskState
        self.drbdDevicePath = drbdDevicePath
        self.replication = replication
    }
}

/// A failure as the REST caller must see it: what failed, the command line, its exit code, its stderr.
public struct CommandFailureDTO: Codable, Sendable, Equatable {
    public var message: String
    public var commandLine: String?
    public var exitCode: Int32?
    public var stderrTail: String?
    /// The satellite's error report of this failure, for the reply's `error_report_ids`.
    public var reportID: String?

    public init(message: String, commandLine: String?, exitCode: Int32?, stderrTail: String?, reportID: String? = nil) {
        self.message = message
        self.commandLine = commandLine
        self.exitCode = exitCode
        self.stderrTail = stderrTail
        self.reportID = reportID
    }
}
