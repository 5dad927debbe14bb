/// Settings for the replication link between two nodes, for every resource they share.
///
/// LINSTOR's node connection: DRBD peer options (`DrbdOptions/Net/*`, `DrbdOptions/PeerDevice/*`) and
/// replication paths (`Paths/<path>/<node>=<interface>`) that hold for every resource replicated
/// between the two nodes, unless a resource connection says otherwise. The pair is unordered:
/// `alpha`–`bravo` and `bravo`–`alpha` are the same connection; the names keep the order first given.
public struct NodeConnection: Sendable, Codable, Equatable {
    public var nodeA: String
    public var nodeB: String
    public var props: [String: String]

    public init(nodeA: String, nodeB: String, props: [String: String] = [:]) {
        self.nodeA = nodeA
        self.nodeB = nodeB
        self.props = props
    }

    public var key: ConnectionKey { ConnectionKey(ObjectKey(self.nodeA), ObjectKey(self.nodeB)) }
}

/// Settings for the link between two replicas of one resource; they win over the node connection's.
public struct ResourceConnection: Sendable, Codable, Equatable {
    public var resourceName: String
    public var nodeA: String
    public var nodeB: String
    public var props: [String: String]
    public var flags: Set<String>

    public init(resourceName: String, nodeA: String, nodeB: String, props: [String: String] = [:], flags: Set<String> = []) {
        self.resourceName = resourceName
        self.nodeA = nodeA
        self.nodeB = nodeB
        self.props = props
        self.flags = flags
    }

    public var key: ResourceConnectionKey {
        ResourceConnectionKey(resource: ObjectKey(self.resourceName), nodes: ConnectionKey(ObjectKey(self.nodeA), ObjectKey(self.nodeB)))
    }
}

/// An unordered pair of nodes: the same key whichever node is named first.
public struct ConnectionKey: Hashable, Comparable, Sendable, Codable {
    public let low: ObjectKey
    public let high: ObjectKey

    public init(_ one: ObjectKey, _ other: ObjectKey) {
        (self.low, self.high) = one < other ? (one, other) : (other, one)
    }

    public func contains(_ node: ObjectKey) -> Bool { self.low == node || self.high == node }

    public static func < (lhs: ConnectionKey, rhs: ConnectionKey) -> Bool { (lhs.low, lhs.high) < (rhs.low, rhs.high) }
}

/// A resource connection's identity: the resource and its unordered node pair.
public struct ResourceConnectionKey: Hashable, Comparable, Sendable, Codable {
    public let resource: ObjectKey
    public let nodes: ConnectionKey

    public init(resource: ObjectKey, nodes: ConnectionKey) {
        self.resource = resource
        self.nodes = nodes
    }

    public static func < (lhs: ResourceConnectionKey, rhs: ResourceConnectionKey) -> Bool {
        (lhs.resource, lhs.nodes) < (rhs.resource, rhs.nodes)
    }
}

/// The replication paths a connection's `Paths/<path>/<node>=<interface>` properties describe.
public struct ConnectionPath: Sendable, Equatable {
    public var name: String
    /// Net interface name per node key.
    public var interfaces: [ObjectKey: String]

    /// The complete paths of `props` between `nodeA` and `nodeB`, sorted by name; a path that names
    /// an interface for only one of them is left out.
    public static func paths(in props: [String: String], between nodeA: ObjectKey, and nodeB: ObjectKey) -> [ConnectionPath] {
        var found: [String: [ObjectKey: String]] = [:]
        for (key, value) in props where key.hasPrefix(Self.prefix) {
            let parts = key.dropFirst(Self.prefix.count).split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { continue }
            found[String(parts[0]), default: [:]][ObjectKey(String(parts[1]))] = value
        }
        return found.keys.sorted().compactMap { name in
            guard let interfaces = found[name], interfaces[nodeA] != nil, interfaces[nodeB] != nil else { return nil }
            return ConnectionPath(name: name, interfaces: interfaces)
        }
    }

    public static let prefix = "Paths/"
}
