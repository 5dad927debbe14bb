/// What a node's DRBD layer needs to write the resource's `.res` file and initialise its metadata.
///
/// The controller resolves everything that depends on other objects (peers' addresses and ports,
/// option precedence, which node is the initial sync source) so the satellite needs no cluster view.
public struct DesiredDRBDResource: Codable, Sendable, Equatable {
    public var nodeID: Int
    public var peerSlots: Int
    public var alStripes: Int
    public var alStripeSizeKiB: Int64
    public var secret: String
    /// This node's replication address (from `PrefNic`, else the node's first interface) and port.
    public var address: String
    public var port: Int
    /// `DrbdOptions/...` keys in effect for this resource, precedence already applied.
    public var options: [String: String]
    public var peers: [DesiredDRBDPeer]
    /// No backing disk on this node: a DRBD client (`disk none`).
    public var diskless: Bool
    /// The diskless replica exists only to break quorum ties.
    public var tieBreaker: Bool
    /// Deactivated replicas: not connected now, but their bitmap slots stay for when they return.
    public var inactivePeerNodeIDs: [Int]?

    public init(
        nodeID: Int, peerSlots: Int, alStripes: Int, alStripeSizeKiB: Int64, secret: String, address: String, port: Int,
        options: [String: String], peers: [DesiredDRBDPeer], diskless: Bool, tieBreaker: Bool
    ) {
        self.nodeID = nodeID
        self.peerSlots = peerSlots
        self.alStripes = alStripes
        self.alStripeSizeKiB = alStripeSizeKiB
        self.secret = secret
        self.address = address
        self.port = port
        self.options = options
        self.peers = peers
        self.diskless = diskless
        self.tieBreaker = tieBreaker
    }
}

/// Another replica of the same resource, as this node's `.res` file names and reaches it.
public struct DesiredDRBDPeer: Codable, Sendable, Equatable {
    /// The Depot node name; events2 reports the connection under ``hostName``.
    public var nodeName: String
    /// The name of the peer's `on` section: its satellite's host name when known, else its node name.
    public var hostName: String
    public var nodeID: Int
    public var address: String
    public var port: Int
    public var diskless: Bool
    public var tieBreaker: Bool
    /// `DrbdOptions/Net/*` and `DrbdOptions/PeerDevice/*` of this connection alone (from the resource
    /// and node connections), which win over the resource's own.
    public var options: [String: String]
    /// Explicit replication paths (`Paths/*` of the resource or node connection); empty: one path
    /// between ``DesiredDRBDResource/address`` and ``address``.
    public var paths: [DesiredDRBDPath]

    public init(
        nodeName: String, hostName: String, nodeID: Int, address: String, port: Int, diskless: Bool, tieBreaker: Bool,
        options: [String: String] = [:], paths: [DesiredDRBDPath] = []
    ) {
        self.nodeName = nodeName
        self.hostName = hostName
        self.nodeID = nodeID
        self.address = address
        self.port = port
        self.diskless = diskless
        self.tieBreaker = tieBreaker
        self.options = options
        self.paths = paths
    }
}

/// One replication path of a connection: this node's address and the peer's (each with its own port).
public struct DesiredDRBDPath: Codable, Sendable, Equatable {
    public var localAddress: String
    public var peerAddress: String

    public init(localAddress: String, peerAddress: String) {
        self.localAddress = localAddress
        self.peerAddress = peerAddress
    }
}

/// The DRBD side of one volume: its minor and how its data starts out.
public struct DesiredDRBDVolume: Codable, Sendable, Equatable {
    public var minor: Int
    /// The volume definition's `DrbdCurrentGi`: the generation every replica's data starts from.
    public var initialGenerationID: String?
    /// This node is the volume's initial UpToDate source (`Linstor/Drbd/InitialUptoDateOn`) and no
    /// replica has reached UpToDate yet.
    public var initialSource: Bool
    /// Thin peers may skip the full initial sync (writing the shared generation instead).
    public var skipInitialSync: Bool
    /// The backing storage is thin: a grown area reads zeros on every replica, so growing resizes
    /// with `--assume-clean` instead of resyncing (which would allocate the whole new area).
    public var thinStorage: Bool
    /// `DrbdOptions/Disk/*` set for this volume (volume, volume definition, volume group), which
    /// win over the resource's own disk options.
    public var options: [String: String]

    public init(
        minor: Int, initialGenerationID: String?, initialSource: Bool, skipInitialSync: Bool, thinStorage: Bool = false, options: [String: String] = [:]
    ) {
        self.minor = minor
        self.initialGenerationID = initialGenerationID
        self.initialSource = initialSource
        self.skipInitialSync = skipInitialSync
        self.thinStorage = thinStorage
        self.options = options
    }
}

/// What the node's DRBD kernel state says about a resource (from `drbdsetup events2`).
public struct DRBDResourceReport: Codable, Sendable, Equatable {
    public var role: String?
    public var inUse: Bool?
    public var mayPromote: Bool?
    public var promotionScore: Int?
    /// Keyed by Depot node name.
    public var connections: [String: DRBDConnectionReport]
    /// Why DRBD froze the resource's I/O (events2 `suspended:`, e.g. `quorum`, `user`, `no-data`);
    /// `nil` while I/O flows. A frozen device keeps its disk state, so this is the only sign of it.
    public var suspended: String?

    public init(
        role: String?, inUse: Bool?, mayPromote: Bool?, promotionScore: Int?, connections: [String: DRBDConnectionReport], suspended: String? = nil
    ) {
        self.role = role
        self.inUse = inUse
        self.mayPromote = mayPromote
        self.promotionScore = promotionScore
        self.connections = connections
        self.suspended = suspended
    }
}

/// One peer connection's state (`Connected`, `Connecting`, `StandAlone`, …).
public struct DRBDConnectionReport: Codable, Sendable, Equatable {
    public var state: String
    /// Set when the state needs an explanation, e.g. split brain detected.
    public var message: String?

    public init(state: String, message: String? = nil) {
        self.state = state
        self.message = message
    }

    public var isConnected: Bool { self.state == "Connected" }
}

/// One peer's replication of a volume (`Established`, `SyncTarget`, …) with its progress.
public struct DRBDReplicationReport: Codable, Sendable, Equatable {
    public var state: String
    public var donePercentage: Double?
    public var peerDiskState: String?
    /// What the kernel still has to resync with this peer (`out-of-sync`, KiB); `nil` when the
    /// kernel did not say.
    public var outOfSyncKiB: Int64?

    public init(state: String, donePercentage: Double?, peerDiskState: String?, outOfSyncKiB: Int64? = nil) {
        self.state = state
        self.donePercentage = donePercentage
        self.peerDiskState = peerDiskState
        self.outOfSyncKiB = outOfSyncKiB
    }

    /// Replication runs and nothing waits for a resync: the state a moved replica must reach before
    /// the replica it replaces may go.
    public var isInSync: Bool { self.state == "Established" && (self.outOfSyncKiB ?? 0) == 0 }
}
