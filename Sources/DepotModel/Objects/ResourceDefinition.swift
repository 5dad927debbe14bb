/// What a resource is everywhere it is deployed: its layer stack, volumes and DRBD identity.
public struct ResourceDefinition: Sendable, Codable, Equatable {
    public var name: String
    public var externalName: String?
    public var props: [String: String]
    public var flags: Set<String>
    /// Top to bottom, always ending with `STORAGE`.
    public var layerStack: [LayerKind]
    public var resourceGroupName: String
    public var volumeDefinitions: [Int: VolumeDefinition]
    /// Present when the stack contains DRBD.
    public var drbd: DRBDResourceDefinitionData?
    /// A snapshot rollback its replicas are carrying out.
    public var rollback: PendingRollback?
    /// While this definition is being made as a clone: the source and the snapshot it is made from.
    public var clone: PendingClone?
    public var uuid: String

    public init(
        name: String,
        layerStack: [LayerKind],
        resourceGroupName: String,
        uuid: String
    ) {
        self.name = name
        self.externalName = nil
        self.props = [:]
        self.flags = []
        self.layerStack = layerStack
        self.resourceGroupName = resourceGroupName
        self.volumeDefinitions = [:]
        self.drbd = nil
        self.uuid = uuid
    }

    public var key: ObjectKey { ObjectKey(self.name) }
}

/// A rollback to a snapshot that the definition's replicas carry out, each once.
///
/// Every replica stays down until all of them went back to the snapshot, so that none comes up
/// next to a peer that still has the newer data (DRBD would sync that back).
public struct PendingRollback: Sendable, Codable, Equatable {
    public var snapshot: String
    /// Unique per rollback: a satellite does each id once.
    public var id: String
    /// The nodes that have not reported it done yet.
    public var waitingFor: Set<String>

    public init(snapshot: String, id: String, waitingFor: Set<String>) {
        self.snapshot = snapshot
        self.id = id
        self.waitingFor = waitingFor
    }
}

/// A clone in the making: its replicas are restored from a snapshot of the source, which goes once
/// they all have their volumes.
public struct PendingClone: Sendable, Codable, Equatable {
    public var source: String
    public var snapshot: String
    /// Node name → the pool that holds the clone's volumes there, where it is not the source's.
    public var pools: [String: String]?

    public init(source: String, snapshot: String, pools: [String: String]? = nil) {
        self.source = source
        self.snapshot = snapshot
        self.pools = pools
    }
}

/// The DRBD settings shared by all replicas of a resource.
public struct DRBDResourceDefinitionData: Sendable, Codable, Equatable {
    public var peerSlots: Int
    public var alStripes: Int
    public var alStripeSizeKiB: Int64
    /// A port the user asked for; used on each node if it is free there.
    public var preferredPort: Int?
    public var transportType: String
    public var secret: String

    public init(peerSlots: Int, preferredPort: Int?, secret: String) {
        self.peerSlots = peerSlots
        self.alStripes = 1
        self.alStripeSizeKiB = 32
        self.preferredPort = preferredPort
        self.transportType = "IP"
        self.secret = secret
    }

    /// LINSTOR's default number of DRBD peer slots (`InternalApiConsts.DEFAULT_PEER_SLOTS`).
    public static let defaultPeerSlots = 7
}

/// The size and identity of one volume of a resource, the same on every node.
public struct VolumeDefinition: Sendable, Codable, Equatable {
    public var number: Int
    /// Net (usable) size.
    public var sizeKiB: Int64
    public var props: [String: String]
    public var flags: Set<String>
    /// The cluster-wide DRBD minor, when the stack contains DRBD.
    public var drbdMinor: Int?
    public var uuid: String
    /// The LUKS passphrase, sealed; set when the definition's stack has the LUKS layer.
    public var passphrase: SealedVolumePassphrase?

    public init(number: Int, sizeKiB: Int64, props: [String: String] = [:], flags: Set<String> = [], uuid: String) {
        self.number = number
        self.sizeKiB = sizeKiB
        self.props = props
        self.flags = flags
        self.drbdMinor = nil
        self.uuid = uuid
    }

    /// LINSTOR's largest volume number.
    public static let maxNumber = 65_534
}
