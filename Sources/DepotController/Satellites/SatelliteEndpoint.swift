import DepotModel

/// Where a node's satellite listens, from its active satellite interface.
struct SatelliteEndpoint: Hashable, Sendable, CustomStringConvertible {
    let host: String
    let port: Int
    let encryption: EncryptionType

    init(host: String, port: Int, encryption: EncryptionType) {
        self.host = host
        self.port = port
        self.encryption = encryption
    }

    init?(_ node: Node) {
        guard node.type.runsSatellite, let name = node.activeSatelliteInterface, let interface = node.netInterface(named: name),
            let port = interface.satellitePort
        else { return nil }
        self.init(host: interface.address, port: port, encryption: interface.encryptionType ?? .plain)
    }

    var description: String { self.host.contains(":") ? "[\(self.host)]:\(self.port)" : "\(self.host):\(self.port)" }
}
