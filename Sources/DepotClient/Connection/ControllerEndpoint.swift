import Foundation

/// One controller the client may talk to: scheme, host and port.
///
/// LINSTOR's client accepts `host`, `host:port` and URIs (`linstor://`, `linstor+ssl://`, `http://`,
/// `https://`); TLS schemes default to port 3371, the others to 3370.
public struct ControllerEndpoint: Sendable, Equatable, CustomStringConvertible {
    public enum Scheme: Sendable, Equatable {
        case http
        case https
    }

    public static let defaultPlainPort = 3370
    public static let defaultTLSPort = 3371

    public var scheme: Scheme
    public var host: String
    public var port: Int

    public init(scheme: Scheme, host: String, port: Int) {
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    /// The URI as LINSTOR's client names a controller in its messages (`linstor://host:3370`).
    public var description: String {
        "\(self.scheme == .https ? "linstor+ssl" : "linstor")://\(self.hostForURL):\(self.port)"
    }

    /// The base URL of the REST API, without a trailing slash.
    public var baseURL: String {
        "\(self.scheme == .https ? "https" : "http")://\(self.hostForURL):\(self.port)"
    }

    private var hostForURL: String {
        self.host.contains(":") ? "[\(self.host)]" : self.host
    }

    /// Parses a comma-separated controller list as `--controllers` and `LS_CONTROLLERS` take it.
    ///
    /// Empty entries are skipped, as LINSTOR's client does.
    /// - Throws: ``DepotClientError`` with code `invalidAddress` for an entry that names no host or
    ///   a bad port.
    public static func parseList(_ list: String) throws(DepotClientError) -> [ControllerEndpoint] {
        try list.split(separator: ",", omittingEmptySubsequences: true)
            .map { $0.trimmingSpaces() }
            .filter { !$0.isEmpty }
            .map { (entry: String) throws(DepotClientError) -> ControllerEndpoint in try Self.parse(entry) }
    }

    /// Parses one entry of a controller list.
    public static func parse(_ entry: String) throws(DepotClientError) -> ControllerEndpoint {
        var rest = Substring(entry)
        var scheme = Scheme.http
        if let range = rest.range(of: "://") {
            let name = rest[..<range.lowerBound].lowercased()
            switch name {
            case "linstor", "http": scheme = .http
            case "linstor+ssl", "https": scheme = .https
            default:
                throw DepotClientError(.invalidAddress, "Unsupported scheme '\(name)' in controller address '\(entry)'")
            }
            rest = rest[range.upperBound...]
        }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        var host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else {
                throw DepotClientError(.invalidAddress, "Invalid controller address '\(entry)'")
            }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() }
        } else if rest.filter({ $0 == ":" }).count == 1, let colon = rest.firstIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
        }
        guard !host.isEmpty else {
            throw DepotClientError(.invalidAddress, "Invalid controller address '\(entry)': no host")
        }
        var port = scheme == .https ? Self.defaultTLSPort : Self.defaultPlainPort
        if let portText, !portText.isEmpty {
            guard let value = Int(portText), (1...65535).contains(value) else {
                throw DepotClientError(.invalidAddress, "Invalid port '\(portText)' in controller address '\(entry)'")
            }
            port = value
        }
        return ControllerEndpoint(scheme: scheme, host: String(host), port: port)
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    package func trimmingSpaces() -> String {
        let scalars = self.unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
            let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
