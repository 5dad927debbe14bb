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

/// How waiting for a satellite to act on a published version ended.
enum SatelliteOutcome: Equatable, Sendable {
    case reported(NodeReport)
    /// The link dropped (or never came up); its last error, when known.
    case linkLost(String?)
    /// The link is up and the satellite busy, with what it last said of its progress.
    case stillApplying(ApplyProgress?)
}

/// What the controller knows of its satellites, for node and storage pool lists.
protocol SatelliteConnections: Sendable {
    func status(of node: ObjectKey) -> ConnectionStatus
    /// Providers and layers the node's satellite reported, once it connected.
    func capabilities(of node: ObjectKey) -> NodeCapabilitiesDTO?
    /// The host name the node's satellite answered with (its `uname -n`), once it connected.
    func hostname(of node: ObjectKey) -> String?
    /// The pool's last reported capacity (or the failure to read it).
    func poolReport(node: ObjectKey, pool: ObjectKey) -> StoragePoolReport?
    /// Waits, at most `timeout`, until the node's satellite has acted on published `version`.
    func outcome(of node: ObjectKey, handling version: UInt64, within timeout: Duration) async -> SatelliteOutcome
    /// Drops the node's link so that it connects again and the satellite probes the node afresh.
    func reconnect(_ node: ObjectKey)
    /// Asks the node's satellite about its error reports; `nil` when it does not answer within `timeout`.
    func ask(_ node: ObjectKey, within timeout: Duration, _ query: (UInt64) -> SatelliteQuery) async -> SatelliteAnswer?
}
