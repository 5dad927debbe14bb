/// What the autoplacer knows of one node: enough to decide, nothing it could change.
///
/// The controller builds these from its model and what the satellites reported, so the placer is a
/// pure function of its input: the same cluster and request always give the same answer.
public struct PlacementNode: Sendable {
    /// This resource definition's replica on the node, if any.
    public enum Replica: Sendable, Equatable {
        case none, diskful, diskless
        /// A replica marked for deletion that its node has not removed yet.
        case deleting
    }

    public var name: String
    public var type: NodeType
    public var props: [String: String]
    public var flags: Set<String>
    public var isOnline: Bool
    /// Layers and providers the satellite reported; `nil` before it reported.
    public var layers: Set<String>?
    public var providers: Set<String>?
    public var pools: [PlacementPool]
    /// Resource definitions with a replica here (for `not_place_with_rsc`).
    public var resourceNames: [String]
    public var replica: Replica
    /// The provider of the diskful replica's pool here, if any: replicas should not mix providers.
    public var replicaProvider: ProviderKind?

    public init(
        name: String, type: NodeType = .satellite, props: [String: String] = [:], flags: Set<String> = [], isOnline: Bool = true,
        layers: Set<String>? = nil, providers: Set<String>? = nil, pools: [PlacementPool] = [], resourceNames: [String] = [],
        replica: Replica = .none, replicaProvider: ProviderKind? = nil
    ) {
        self.name = name
        self.type = type
        self.props = props
        self.flags = flags
        self.isOnline = isOnline
        self.layers = layers
        self.providers = providers
        self.pools = pools
        self.resourceNames = resourceNames
        self.replica = replica
        self.replicaProvider = replicaProvider
    }

    public var key: ObjectKey { ObjectKey(self.name) }
}

/// One storage pool on a node, with its last reported capacity.
public struct PlacementPool: Sendable {
    public var name: String
    public var kind: ProviderKind
    /// The pool's properties over its definition's.
    public var props: [String: String]
    public var freeKiB: Int64?
    public var totalKiB: Int64?
    /// Space promised to the volumes already in the pool (their usable sizes).
    public var reservedKiB: Int64
    /// Resources with a volume in the pool.
    public var resourceCount: Int

    public init(
        name: String, kind: ProviderKind, props: [String: String] = [:], freeKiB: Int64? = nil, totalKiB: Int64? = nil, reservedKiB: Int64 = 0,
        resourceCount: Int = 0
    ) {
        self.name = name
        self.kind = kind
        self.props = props
        self.freeKiB = freeKiB
        self.totalKiB = totalKiB
        self.reservedKiB = reservedKiB
        self.resourceCount = resourceCount
    }

    public var key: ObjectKey { ObjectKey(self.name) }
}

/// One placement question: which nodes get the replicas of a resource definition.
public struct PlacementRequest: Sendable {
    public var resourceName: String
    /// The volumes' total size (net, as LINSTOR counts it).
    public var sizeKiB: Int64
    /// The merged filter (request over resource group).
    public var filter: AutoSelectFilter
    /// The layers every chosen node must support.
    public var layers: [LayerKind]
    /// Controller properties: weights, over-subscription and minimum free space defaults.
    public var controllerProps: [String: String]
    /// `AllowMixingStoragePoolDriver` (definition, group, controller): replicas may use unrelated providers.
    public var allowsMixingProviders: Bool

    public init(
        resourceName: String, sizeKiB: Int64, filter: AutoSelectFilter, layers: [LayerKind], controllerProps: [String: String] = [:],
        allowsMixingProviders: Bool = false
    ) {
        self.resourceName = resourceName
        self.sizeKiB = sizeKiB
        self.filter = filter
        self.layers = layers
        self.controllerProps = controllerProps
        self.allowsMixingProviders = allowsMixingProviders
    }

    /// Diskless placement (`diskless_type`) uses diskless pools and counts diskless replicas.
    public var isDiskless: Bool { self.filter.disklessType != nil }
}
