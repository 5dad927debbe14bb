/// One error report as LINSTOR's `GET /v1/error-reports` lists it, and as a satellite sends its own.
///
/// The report's id is not a field of its own: clients read it from `filename`
/// (`ErrorReport-<id>.log`), as LINSTOR's do.
public struct ErrorReportDTO: Codable, Sendable, Equatable {
    public var nodeName: String?
    /// Milliseconds since the epoch.
    public var errorTime: Int64
    public var filename: String?
    /// The whole report; only when asked for with `withContent`.
    public var text: String?
    /// `CONTROLLER` or `SATELLITE`.
    public var module: String?
    public var version: String?
    public var peer: String?
    public var exception: String?
    public var exceptionMessage: String?
    public var originFile: String?
    public var originMethod: String?
    public var originLine: Int32?

    public init(id: String, nodeName: String?, errorTime: Int64, module: String?, version: String?) {
        self.nodeName = nodeName
        self.errorTime = errorTime
        self.filename = Self.filename(of: id)
        self.module = module
        self.version = version
    }

    /// The id in `filename`, or the whole name when it does not follow LINSTOR's pattern.
    public var id: String {
        guard let filename else { return "" }
        guard filename.hasPrefix(Self.prefix), filename.hasSuffix(Self.suffix) else { return filename }
        return String(filename.dropFirst(Self.prefix.count).dropLast(Self.suffix.count))
    }

    public static func filename(of id: String) -> String { Self.prefix + id + Self.suffix }

    static let prefix = "ErrorReport-"
    static let suffix = ".log"

    enum CodingKeys: String, CodingKey {
        case nodeName = "node_name"
        case errorTime = "error_time"
        case filename, text, module, version, peer, exception
        case exceptionMessage = "exception_message"
        case originFile = "origin_file"
        case originMethod = "origin_method"
        case originLine = "origin_line"
    }
}

/// `PATCH /v1/error-reports`: which reports to delete. LINSTOR deletes nothing when no criterion is given.
public struct ErrorReportDeleteDTO: Codable, Sendable, Equatable {
    public var since: Int64?
    public var to: Int64?
    public var nodes: [String]?
    public var exception: String?
    public var version: String?
    public var ids: [String]?

    public init(since: Int64? = nil, to: Int64? = nil, nodes: [String]? = nil, exception: String? = nil, version: String? = nil, ids: [String]? = nil) {
        self.since = since
        self.to = to
        self.nodes = nodes
        self.exception = exception
        self.version = version
        self.ids = ids
    }
}

/// LINSTOR's `/v1/stats/*` answers (`NodeStats`, … `ErrorReportStats`): all `{"count": N}`.
public struct StatsDTO: Codable, Sendable, Equatable {
    public var count: Int

    public init(count: Int) { self.count = count }
}
