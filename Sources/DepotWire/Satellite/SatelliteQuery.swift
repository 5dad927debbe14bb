/// Which error reports a list or a deletion is about; every criterion given must hold.
public struct ErrorReportFilter: Codable, Sendable, Equatable {
    /// Milliseconds since the epoch, inclusive.
    public var since: Int64?
    /// Milliseconds since the epoch, exclusive.
    public var to: Int64?
    public var ids: [String]
    public var exception: String?
    public var version: String?

    public init(since: Int64? = nil, to: Int64? = nil, ids: [String] = [], exception: String? = nil, version: String? = nil) {
        self.since = since
        self.to = to
        self.ids = ids
        self.exception = exception
        self.version = version
    }

    /// A deletion needs at least one criterion: LINSTOR never deletes everything by an empty request.
    public var isEmpty: Bool {
        self.since == nil && self.to == nil && self.ids.isEmpty && self.exception == nil && self.version == nil
    }

    public func matches(_ report: ErrorReportDTO) -> Bool {
        if let since, report.errorTime < since { return false }
        if let to, report.errorTime >= to { return false }
        if !self.ids.isEmpty, !self.ids.contains(report.id) { return false }
        if let exception, report.exception != exception { return false }
        if let version, report.version != version { return false }
        return true
    }
}

/// What the controller asks a satellite outside its desired state: its error reports, to delete
/// some, to log at another level from now on, its unused disks, or a device pool on some of them.
public struct SatelliteQuery: Codable, Sendable, Equatable {
    public enum Action: String, Codable, Sendable {
        case listErrorReports = "list-error-reports"
        case deleteErrorReports = "delete-error-reports"
        case setLogLevel = "set-log-level"
        /// The node's part of an SOS report (``SatelliteAnswer/files``); error reports since `filter.since`.
        case sosReport = "sos-report"
        /// LINSTOR's satellite token (``SatelliteQuery/restToken``): written on the node for the
        /// REST clients that run there.
        case applyRESTToken = "apply-rest-token"
        /// The node's unused disks (``SatelliteAnswer/devices``).
        case listPhysicalStorage = "list-physical-storage"
        /// A volume group, thin pool or zpool on unused disks (``SatelliteQuery/devicePool``).
        case createDevicePool = "create-device-pool"
    }

    /// Pairs the answer with the question; unique per link session.
    public var requestID: UInt64
    public var action: Action
    public var filter: ErrorReportFilter
    public var withContent: Bool
    /// At most this many reports, newest last; `nil` for all.
    public var limit: Int?
    /// For ``Action/setLogLevel``: swift-log's name of the level (`trace` … `critical`).
    public var logLevel: String?
    /// For ``Action/applyRESTToken``: the bearer token's text, which only this node receives.
    public var restToken: String?
    /// For ``Action/createDevicePool``.
    public var devicePool: DevicePoolOrder?

    public init(
        requestID: UInt64, action: Action, filter: ErrorReportFilter = ErrorReportFilter(), withContent: Bool = false, limit: Int? = nil,
        logLevel: String? = nil, restToken: String? = nil, devicePool: DevicePoolOrder? = nil
    ) {
        self.requestID = requestID
        self.action = action
        self.filter = filter
        self.withContent = withContent
        self.limit = limit
        self.logLevel = logLevel
        self.restToken = restToken
        self.devicePool = devicePool
    }
}

/// A satellite's answer to a ``SatelliteQuery``.
public struct SatelliteAnswer: Codable, Sendable, Equatable {
    public var requestID: UInt64
    /// The reports listed (at most the query's limit).
    public var reports: [ErrorReportDTO]
    /// How many matched before the limit.
    public var total: Int
    /// The ids a deletion removed.
    public var deleted: [String]
    /// Why the satellite could not do what was asked.
    public var failure: String?
    /// An SOS report's files, by their path in the report.
    public var files: [String: String]?
    /// The unused disks (``SatelliteQuery/Action/listPhysicalStorage``).
    public var devices: [PhysicalStorageNodeDTO]?
    /// What a device pool's creation did, step by step, also when a later step failed.
    public var steps: [String]?

    public init(
        requestID: UInt64, reports: [ErrorReportDTO] = [], total: Int = 0, deleted: [String] = [], failure: String? = nil, files: [String: String]? = nil,
        devices: [PhysicalStorageNodeDTO]? = nil, steps: [String]? = nil
    ) {
        self.requestID = requestID
        self.reports = reports
        self.total = total
        self.deleted = deleted
        self.failure = failure
        self.files = files
        self.devices = devices
        self.steps = steps
    }
}
