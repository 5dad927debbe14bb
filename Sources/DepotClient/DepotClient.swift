public import DepotWire
import Foundation

/// A connection to one LINSTOR-compatible controller's REST API v1.
///
/// Shared by the `depot` command-line client and integrations: it knows addresses, failover at connect
/// time, the HTTPS redirect probe, authentication and error texts, and leaves the meaning of each call
/// to the caller (see ``RESTRequest`` and the `Endpoints` helpers).
public struct DepotClient: Sendable {
    /// The controller this client is connected to.
    public let endpoint: ControllerEndpoint
    /// What the controller said about itself when the client connected.
    public let controllerVersion: ControllerVersionDTO
    let transport: Transport
    /// Set when a bearer token was given but not sent because the connection is plain HTTP (the
    /// caller shows it, as LINSTOR's client prints its warning).
    public let withheldToken: String?

    /// The oldest REST API version LINSTOR's client accepts (`API_VERSION_MIN`).
    public static let minimumAPIVersion = [1, 0, 4]

    /// Tries each controller in order and connects to the first that answers.
    ///
    /// - Throws: ``ConnectFailure`` listing why each controller failed.
    public static func connect(
        to candidates: [ControllerEndpoint],
        options: ConnectionOptions = ConnectionOptions()
    ) async throws(ConnectFailure) -> DepotClient {
        var failures: [DepotClientError] = []
        for candidate in candidates {
            do {
                return try await self.connect(candidate, options: options)
            } catch {
                failures.append(error)
                if error.code == .unsupportedServer || error.code == .insecureAuth { break }
            }
        }
        throw ConnectFailure(errors: failures)
    }

    private static func connect(
        _ candidate: ControllerEndpoint,
        options: ConnectionOptions
    ) async throws(DepotClientError) -> DepotClient {
        var endpoint = candidate
        // The plain-HTTP probe carries no token: it may be answered by a redirect to HTTPS.
        var transport = try Transport(for: endpoint, options: options, headers: options.headers)
        var answer = try await transport.perform(RESTRequest(.get, "/v1/controller/version"), on: endpoint)
        // A standby controller of a shared database sends callers to the active one (once).
        if answer.response.status == 307, let location = answer.location.flatMap(URL.init(string:)), let host = location.host {
            let scheme: ControllerEndpoint.Scheme = location.scheme == "https" ? .https : .http
            endpoint = ControllerEndpoint(
                scheme: scheme, host: host, port: location.port ?? (scheme == .https ? ControllerEndpoint.defaultTLSPort : ControllerEndpoint.defaultPlainPort))
            transport = try Transport(for: endpoint, options: options, headers: options.headers)
            answer = try await transport.perform(RESTRequest(.get, "/v1/controller/version"), on: endpoint)
        }
        if endpoint.scheme == .http, answer.response.status == 302 {
            let port = answer.location.flatMap(URL.init(string:))?.port ?? ControllerEndpoint.defaultTLSPort
            endpoint = ControllerEndpoint(scheme: .https, host: endpoint.host, port: port)
            transport = try Transport(for: endpoint, options: options, headers: options.headers)
        }
        // As LINSTOR's client: the token goes only over HTTPS, unless insecure auth is allowed.
        var withheldToken: String?
        if let token = options.bearerToken {
            if endpoint.scheme == .https || options.allowInsecureAuth {
                var headers = options.headers
                headers["Authorization"] = "Bearer \(token)"
                transport = try Transport(for: endpoint, options: options, headers: headers)
            } else {
                withheldToken = "Warning: not sending auth token over insecure connection to \(endpoint), use --allow-insecure-auth to override."
            }
        }
        if endpoint != candidate || options.bearerToken != nil {
            answer = try await transport.perform(RESTRequest(.get, "/v1/controller/version"), on: endpoint)
        }
        if endpoint.scheme == .http, options.username != nil, !options.allowInsecureAuth {
            throw DepotClientError(
                .insecureAuth,
                "Password authentication with HTTP not allowed, until explicitly enabled."
            )
        }
        guard answer.response.status == 200 else {
            throw DepotClientError(
                .httpStatus,
                "Unable to connect to \(endpoint): HTTP-Status(\(answer.response.status)) on /v1/controller/version"
            )
        }
        let version = try answer.response.decode(ControllerVersionDTO.self)
        let numbers = version.restAPIVersion.split(separator: ".").map { Int($0) ?? 0 }
        guard version.restAPIVersion.hasPrefix("1"), !numbers.lexicographicallyPrecedes(Self.minimumAPIVersion) else {
            throw DepotClientError(
                .unsupportedServer,
                "Client doesn't support Controller rest api version: \(version.restAPIVersion); Minimal version needed: "
                    + Self.minimumAPIVersion.map(String.init).joined(separator: ".")
            )
        }
        return DepotClient(endpoint: endpoint, controllerVersion: version, transport: transport, withheldToken: withheldToken)
    }

    /// Sends one request and returns the controller's answer, whatever its status.
    ///
    /// - Throws: ``DepotClientError`` for transport failures only; HTTP error statuses are answers.
    public func send(_ request: RESTRequest) async throws(DepotClientError) -> RESTResponse {
        try await self.transport.perform(request, on: self.endpoint).response
    }

    /// True when the controller's REST API is older than `version` (e.g. "1.0.15").
    public func apiVersionIsBelow(_ version: String) -> Bool {
        let have = self.controllerVersion.restAPIVersion.split(separator: ".").map { Int($0) ?? 0 }
        let need = version.split(separator: ".").map { Int($0) ?? 0 }
        return have.lexicographicallyPrecedes(need)
    }
}

/// How to reach the controller: timeout and credentials.
public struct ConnectionOptions: Sendable {
    /// Connect and read timeout in seconds (LINSTOR's `-t`, default 300).
    public var timeoutSeconds: Double
    public var username: String?
    public var password: String?
    /// Allows HTTP Basic authentication over plain HTTP.
    public var allowInsecureAuth: Bool
    public var userAgent: String
    /// A REST bearer token (LINSTOR 1.34), sent as `Authorization: Bearer …` over HTTPS.
    public var bearerToken: String?
    /// CA, client certificate and key for HTTPS controllers.
    public var tlsFiles: TLSFiles

    public init(
        timeoutSeconds: Double = 300,
        username: String? = nil,
        password: String? = nil,
        allowInsecureAuth: Bool = false,
        userAgent: String = "DepotClient",
        bearerToken: String? = nil,
        tlsFiles: TLSFiles = TLSFiles()
    ) {
        self.timeoutSeconds = timeoutSeconds
        self.username = username
        self.password = password
        self.allowInsecureAuth = allowInsecureAuth
        self.userAgent = userAgent
        self.bearerToken = bearerToken
        self.tlsFiles = tlsFiles
    }

    var headers: [String: String] {
        var headers = ["User-Agent": self.userAgent, "Accept": "application/json"]
        if let username = self.username {
            let token = Data("\(username):\(self.password ?? "")".utf8).base64EncodedString()
            headers["Authorization"] = "Basic \(token)"
        }
        return headers
    }
}

/// No controller of the list could be used; one error per controller tried.
public struct ConnectFailure: Error, Sendable {
    public let errors: [DepotClientError]
}
