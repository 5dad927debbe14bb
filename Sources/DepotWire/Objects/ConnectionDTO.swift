/// `NodeConnection`: settings for every resource replicated between two nodes.
public struct NodeConnectionDTO: Codable, Sendable {
    public var nodeA: String = ""
    public var nodeB: String = ""
    public var props: [String: String]?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case nodeA = "node_a"
        case nodeB = "node_b"
        case props
    }
}

/// `ResourceConnection`: settings for the link between two replicas of one resource.
public struct ResourceConnectionDTO: Codable, Sendable {
    public var nodeA: String = ""
    public var nodeB: String = ""
    public var props: [String: String]?
    public var flags: [String]?
    public var port: Int?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case nodeA = "node_a"
        case nodeB = "node_b"
        case props, flags, port
    }
}
