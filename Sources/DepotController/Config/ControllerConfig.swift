import Foundation
import TOMLKit

/// How a controller is started: where its data lives and where it serves REST.
public struct ControllerConfig: Sendable, Equatable {
    public var dataDirectory: String
    public var restBind: BindAddress
    public var logLevel: String

    public static let defaultDataDirectory = "/var/lib/depot"

    public init(dataDirectory: String = Self.defaultDataDirectory, restBind: BindAddress = BindAddress(host: "::", port: 3370), logLevel: String = "info") {
        self.dataDirectory = dataDirectory
        self.restBind = restBind
        self.logLevel = logLevel
    }

    /// Reads a TOML file with the keys `data_dir`, `rest_bind` and `log_level` (all optional).
    ///
    /// - Throws: ``ConfigError`` naming the file and the offending key.
    public static func load(tomlFile path: String) throws(ConfigError) -> ControllerConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError("Cannot read the configuration file \(path): \(error.localizedDescription)")
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch {
            throw ConfigError("The configuration file \(path) is not valid TOML: \(error)")
        }
        var config = ControllerConfig()
        for key in table.keys where !["data_dir", "rest_bind", "log_level"].contains(key) {
            throw ConfigError("Unknown key '\(key)' in \(path); known keys are data_dir, rest_bind and log_level.")
        }
        if let value = table["data_dir"] {
            guard let text = value.string else { throw ConfigError("'data_dir' in \(path) must be a string.") }
            config.dataDirectory = text
        }
        if let value = table["rest_bind"] {
            guard let text = value.string else { throw ConfigError("'rest_bind' in \(path) must be a string like \"0.0.0.0:3370\".") }
            config.restBind = try BindAddress(parsing: text)
        }
        if let value = table["log_level"] {
            guard let text = value.string else { throw ConfigError("'log_level' in \(path) must be a string.") }
            config.logLevel = text
        }
        return config
    }
}

/// An address and port to listen on, written `ADDR:PORT`, `[V6]:PORT` or `:PORT` (all addresses).
public struct BindAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public init(parsing text: String) throws(ConfigError) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ConfigError("Invalid bind address '\(text)': expected ADDR:PORT, [IPv6]:PORT or :PORT.")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host.isEmpty ? "::" : host
        self.port = port
    }

    public var description: String { self.host.contains(":") ? "[\(self.host)]:\(self.port)" : "\(self.host):\(self.port)" }
}

/// A configuration that cannot be used; the message says which setting and why.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }
}
