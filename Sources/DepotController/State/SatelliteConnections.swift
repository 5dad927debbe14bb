import DepotModel
import DepotWire

/// A node's satellite connection as node lists show it (`connection_status`).
enum ConnectionStatus: String, Sendable {
    case offline = "OFFLINE"
    case connected = "CONNECTED"
    case online = "ONLINE"
    case versionMismatch = "VERSION_MISMATCH"
    case authenticationError = "AUTHENTICATION_ERROR"
    case otherController = "OTHER_CONTROLLER"
    case duplicateUname = "DUPLICATE_UNAME"
    case unknown = "UNKNOWN"
}

/// What the controller knows of its satellites, for node and storage pool lists.
protocol SatelliteConnections: Sendable {
    func status(of node: ObjectKey) -> ConnectionStatus
    /// Providers and layers the node's satellite reported, once it connected.
    func capabilities(of node: ObjectKey) -> NodeCapabilitiesDTO?
    /// The pool's last reported capacity (or the failure to read it).
    func poolReport(node: ObjectKey, pool: ObjectKey) -> StoragePoolReport?
    /// Waits (bounded) until the nodes' satellites have acted on published `version`, and tells
    /// how each affected resource fared there.
    func results(nodes: Set<ObjectKey>, resources: [ResourceKey: String], version: UInt64) async -> [Reply]
    /// Drops the node's link so that it connects again and the satellite probes the node afresh.
    func reconnect(_ node: ObjectKey)
}
