/// The controller↔satellite protocol: length-prefixed frames of JSON, one message per frame.
///
/// It is Depot's own (LINSTOR's is private and version-locked): small, versioned, readable in a packet
/// capture. The controller connects to the satellite and sends ``Hello``; the satellite answers
/// ``Welcome`` or ``Refusal``; afterwards the controller sends the node's desired state whenever it
/// changes and the satellite reports what is really there. Each side sends its first state of a
/// session whole and then only what changed (``DesiredStateChange``, ``NodeReportChange``), so a
/// change on a node with thousands of resources costs what the change costs.
public enum SatelliteProtocol {
    /// Bumped on incompatible changes; both sides refuse a different version with a clear reason.
    public static let version = 9
    /// The largest frame either side accepts (a whole node's desired state must fit).
    public static let maximumFrameBytes = 64 * 1024 * 1024
}

/// One frame's content.
public enum SatelliteMessage: Codable, Sendable, Equatable {
    case hello(Hello)
    case welcome(Welcome)
    case refusal(Refusal)
    case desiredState(DesiredNodeState)
    case desiredChange(DesiredStateChange)
    case report(NodeReport)
    case reportChange(NodeReportChange)
    case progress(ApplyProgress)
    case ping(UInt64)
    case pong(UInt64)
    case query(SatelliteQuery)
    case answer(SatelliteAnswer)

    private enum CodingKeys: String, CodingKey {
        case type, body
    }

    private enum Kind: String, Codable {
        case hello, welcome, refusal
        case desiredState = "desired-state"
        case desiredChange = "desired-change"
        case report
        case reportChange = "report-change"
        case progress, ping, pong
        case query = "error-report-query"
        case answer = "error-report-answer"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(Kind.self, forKey: .type) {
        case .hello: self = .hello(try container.decode(Hello.self, forKey: .body))
        case .welcome: self = .welcome(try container.decode(Welcome.self, forKey: .body))
        case .refusal: self = .refusal(try container.decode(Refusal.self, forKey: .body))
        case .desiredState: self = .desiredState(try container.decode(DesiredNodeState.self, forKey: .body))
        case .desiredChange: self = .desiredChange(try container.decode(DesiredStateChange.self, forKey: .body))
        case .report: self = .report(try container.decode(NodeReport.self, forKey: .body))
        case .reportChange: self = .reportChange(try container.decode(NodeReportChange.self, forKey: .body))
        case .progress: self = .progress(try container.decode(ApplyProgress.self, forKey: .body))
        case .ping: self = .ping(try container.decode(UInt64.self, forKey: .body))
        case .pong: self = .pong(try container.decode(UInt64.self, forKey: .body))
        case .query: self = .query(try container.decode(SatelliteQuery.self, forKey: .body))
        case .answer: self = .answer(try container.decode(SatelliteAnswer.self, forKey: .body))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .hello(let body):
            try container.encode(Kind.hello, forKey: .type)
            try container.encode(body, forKey: .body)
        case .welcome(let body):
            try container.encode(Kind.welcome, forKey: .type)
            try container.encode(body, forKey: .body)
        case .refusal(let body):
            try container.encode(Kind.refusal, forKey: .type)
            try container.encode(body, forKey: .body)
        case .desiredState(let body):
            try container.encode(Kind.desiredState, forKey: .type)
            try container.encode(body, forKey: .body)
        case .desiredChange(let body):
            try container.encode(Kind.desiredChange, forKey: .type)
            try container.encode(body, forKey: .body)
        case .report(let body):
            try container.encode(Kind.report, forKey: .type)
            try container.encode(body, forKey: .body)
        case .reportChange(let body):
            try container.encode(Kind.reportChange, forKey: .type)
            try container.encode(body, forKey: .body)
        case .progress(let body):
            try container.encode(Kind.progress, forKey: .type)
            try container.encode(body, forKey: .body)
        case .ping(let body):
            try container.encode(Kind.ping, forKey: .type)
            try container.encode(body, forKey: .body)
        case .pong(let body):
            try container.encode(Kind.pong, forKey: .type)
            try container.encode(body, forKey: .body)
        case .query(let body):
            try container.encode(Kind.query, forKey: .type)
            try container.encode(body, forKey: .body)
        case .answer(let body):
            try container.encode(Kind.answer, forKey: .type)
            try container.encode(body, forKey: .body)
        }
    }
}

/// The controller introduces itself and names the node it expects to reach.
public struct Hello: Codable, Sendable, Equatable {
    public var protocolVersion: Int
    public var controllerID: String
    public var nodeName: String
    /// The active controller's lease number when several controllers share a database: it grows
    /// with every takeover, and a satellite takes orders only from the highest it has seen, so a
    /// deposed controller that still runs can never drive a node. Nil for a lone controller.
    public var fencingToken: Int64?

    public init(protocolVersion: Int = SatelliteProtocol.version, controllerID: String, nodeName: String, fencingToken: Int64? = nil) {
        self.protocolVersion = protocolVersion
        self.controllerID = controllerID
        self.nodeName = nodeName
        self.fencingToken = fencingToken
    }
}

/// The satellite accepts the controller and says what this node is and can do.
public struct Welcome: Codable, Sendable, Equatable {
    public var protocolVersion: Int
    public var satelliteVersion: String
    /// `uname -n` or `--hostname`: the name DRBD configurations use for this node.
    public var hostname: String
    public var capabilities: NodeCapabilitiesDTO

    public init(protocolVersion: Int = SatelliteProtocol.version, satelliteVersion: String, hostname: String, capabilities: NodeCapabilitiesDTO) {
        self.protocolVersion = protocolVersion
        self.satelliteVersion = satelliteVersion
        self.hostname = hostname
        self.capabilities = capabilities
    }
}

/// Why a satellite will not take orders from this controller.
public struct Refusal: Codable, Sendable, Equatable {
    public enum Reason: String, Codable, Sendable {
        case versionMismatch = "VERSION_MISMATCH"
        case otherController = "OTHER_CONTROLLER"
        case authenticationError = "AUTHENTICATION_ERROR"
    }

    public var reason: Reason
    public var message: String

    public init(reason: Reason, message: String) {
        self.reason = reason
        self.message = message
    }
}

/// Which providers and layers a node supports, and why not for the others.
public struct NodeCapabilitiesDTO: Codable, Sendable, Equatable {
    public var storageProviders: [String]
    public var resourceLayers: [String]
    public var unsupportedProviders: [String: [String]]
    public var unsupportedLayers: [String: [String]]

    public init(storageProviders: [String] = [], resourceLayers: [String] = [], unsupportedProviders: [String: [String]] = [:], unsupportedLayers: [String: [String]] = [:]) {
        self.storageProviders = storageProviders
        self.resourceLayers = resourceLayers
        self.unsupportedProviders = unsupportedProviders
        self.unsupportedLayers = unsupportedLayers
    }
}
