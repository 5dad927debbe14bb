/// A cluster member as the controller knows it: its type, how to reach its satellite, its properties.
public struct Node: Sendable, Codable, Equatable {
    public var name: String
    public var type: NodeType
    public var props: [String: String]
    public var flags: Set<String>
    /// Interfaces in creation order; names are unique case-insensitively.
    public var netInterfaces: [NetInterface]
    /// The interface the controller uses to reach the satellite.
    public var activeSatelliteInterface: String?
    public var uuid: String

    public init(name: String, type: NodeType, props: [String: String] = [:], netInterfaces: [NetInterface], uuid: String) {
        self.name = name
        self.type = type
        self.props = props
        self.flags = []
        self.netInterfaces = netInterfaces
        self.activeSatelliteInterface = netInterfaces.first(where: { $0.satellitePort != nil })?.name
        self.uuid = uuid
    }

    public var key: ObjectKey { ObjectKey(self.name) }

    public func netInterface(named name: String) -> NetInterface? {
        let key = ObjectKey(name)
        return self.netInterfaces.first { ObjectKey($0.name) == key }
    }
}

/// An address of a node: for the satellite connection and for DRBD replication links.
public struct NetInterface: Sendable, Codable, Equatable {
    public var name: String
    public var address: String
    /// Set only on interfaces the controller may use to reach the satellite.
    public var satellitePort: Int?
    public var encryptionType: EncryptionType?
    public var uuid: String

    public init(name: String, address: String, satellitePort: Int?, encryptionType: EncryptionType?, uuid: String) {
        self.name = name
        self.address = address
        self.satellitePort = satellitePort
        self.encryptionType = encryptionType
        self.uuid = uuid
    }
}
