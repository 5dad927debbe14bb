import DepotModel

/// A node's satellite connection as node lists show it (`connection_status`).
enum ConnectionStatus: String, Sendable {
    case offline = "OFFLINE"
    case connected = "CONNECTED"
    case online = "ONLINE"
    case versionMismatch = "VERSION_MISMATCH"
    case authenticationError = "AUTHENTICATION_ERROR"
    case otherController = "OTHER_CONTROLLER"
    case unknown = "UNKNOWN"
}

/// What the controller knows of its satellite links; the satellite issue fills this in.
protocol SatelliteConnections: Sendable {
    func status(of node: ObjectKey) -> ConnectionStatus
}

/// The controller without satellite links: every node is offline and keeps its desired state.
struct NoSatelliteConnections: SatelliteConnections {
    func status(of node: ObjectKey) -> ConnectionStatus { .offline }
}
