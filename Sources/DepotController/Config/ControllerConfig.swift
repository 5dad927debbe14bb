public import DepotLink
import Foundation
import TOMLKit

/// How a controller is started: where its data lives and where it serves REST.
public struct ControllerConfig: Sendable, Equatable {
    public var dataDirectory: String
    public var restBind: BindAddress
    public var logLevel: String
    /// PEM certificate (chain) the controller presents to satellites whose interface is SSL.
    public var satelliteTLSCertificate: String?
    /// PEM private key of ``satelliteTLSCertificate``.
    public var satelliteTLSKey: String?
    /// PEM CA certificate(s) that must have signed every SSL satellite's certificate.
    public var satelliteTLSCA: String?
    /// `[encrypt] passphrase`: the master passphrase for unattended starts (creates the master key
    /// when there is none, opens it otherwise).
    public var masterPassphrase: String?
    /// Where error reports go; `nil`: `error-reports` in the data directory.
    public var errorReportDirectory: String?

    var effectiveErrorReportDirectory: String { self.errorReportDirectory ?? self.dataDirectory + "/error-reports" }
    /// `[https]`: HTTPS for the REST API (see ``HTTPSSettings``).
    public var https = HTTPSSettings()
    /// How long the active controller's lease on a shared database lasts without renewal: a
    /// standby takes over within about this long after the active one dies.
    public var leaseDuration: Duration = .seconds(3)
    /// Where clients reach this controller's REST API, written into the lease for standbys to
    /// redirect to; by default the REST address (or this host's name when it binds every address).
    public var advertiseURL: String?

    /// ``advertiseURL`` or the URL made from the REST address.
    var advertisedRESTURL: String {
        if let advertiseURL { return advertiseURL }
        let host = ["0.0.0.0", "::", ""].contains(self.restBind.host) ? DepotController.hostname() : self.restBind.host
        return "http://\(host.contains(":") ? "[\(host)]" : host):\(self.restBind.port)"
    }
    /// `[db]`: an external PostgreSQL database instead of the embedded SQLite one (see ``DatabaseSettings``).
    public var database = DatabaseSettings()

    public static let defaultDataDirectory = "/var/lib/depot"

    public init(dataDirectory: String = Self.defaultDataDirectory, restBind: BindAddress = BindAddress(host: "::", port: 3370), logLevel: String = "info") {
        self.dataDirectory = dataDirectory
        self.restBind = restBind
        self.logLevel = logLevel
    }

    /// Reads a TOML file with the keys `data_dir`, `error_report_dir`, `rest_bind`, `log_level`,
    /// `satellite_tls_certificate`, `satellite_tls_key` and `satellite_tls_ca`, the table `[encrypt]` with
    /// `passphrase`, the table `[https]` (``HTTPSSettings``) and the table `[db]` (``DatabaseSettings``), all optional.
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
        let tlsKeys = ["satellite_tls_certificate", "satellite_tls_key", "satellite_tls_ca"]
        for key in table.keys where !(["data_dir", "error_report_dir", "rest_bind", "log_level", "encrypt", "https", "db"] + tlsKeys).contains(key) {
            throw ConfigError(
                "Unknown key '\(key)' in \(path); known keys are data_dir, error_report_dir, rest_bind, log_level, "
                    + "satellite_tls_certificate, satellite_tls_key, satellite_tls_ca and the tables [encrypt], [https] and [db].")
        }
        if let value = table["https"] {
            guard let https = value.table else { throw ConfigError("'https' in \(path) must be a table: [https] certificate = \"...\".") }
            try config.https.read(https, file: path)
        }
        if let value = table["db"] {
            guard let db = value.table else { throw ConfigError("'db' in \(path) must be a table: [db] connection_url = \"postgresql://...\".") }
            try config.database.read(db, file: path)
            if let seconds = config.database.leaseSeconds {
                config.leaseDuration = try DatabaseSettings.leaseDuration(seconds: seconds, from: "[db] lease_seconds in \(path)")
            }
            if let url = config.database.advertiseURL { config.advertiseURL = url }
        }
        if let value = table["encrypt"] {
            guard let encrypt = value.table else { throw ConfigError("'encrypt' in \(path) must be a table: [encrypt] passphrase = \"...\".") }
            for key in encrypt.keys where key != "passphrase" {
                throw ConfigError("Unknown key '\(key)' in [encrypt] of \(path); the only key is passphrase.")
            }
            if let passphrase = encrypt["passphrase"] {
                guard let text = passphrase.string, !text.isEmpty else { throw ConfigError("[encrypt] passphrase in \(path) must be a non-empty string.") }
                config.masterPassphrase = text
            }
        }
        for key in tlsKeys {
            guard let value = table[key] else { continue }
            guard let text = value.string else { throw ConfigError("'\(key)' in \(path) must be a string (a PEM file's path).") }
            switch key {
            case "satellite_tls_certificate": config.satelliteTLSCertificate = text
            case "satellite_tls_key": config.satelliteTLSKey = text
            default: config.satelliteTLSCA = text
            }
        }
        if let value = table["data_dir"] {
            guard let text = value.string else { throw ConfigError("'data_dir' in \(path) must be a string.") }
            config.dataDirectory = text
        }
        if let value = table["error_report_dir"] {
            guard let text = value.string else { throw ConfigError("'error_report_dir' in \(path) must be a string.") }
            config.errorReportDirectory = text
        }
        if let value = table["rest_bind"] {
            guard let text = value.string else { throw ConfigError("'rest_bind' in \(path) must be a string like \"0.0.0.0:3370\".") }
            do {
                config.restBind = try BindAddress(parsing: text)
            } catch {
                throw ConfigError("\(error) (in \(path))")
            }
        }
        if let value = table["log_level"] {
            guard let text = value.string else { throw ConfigError("'log_level' in \(path) must be a string.") }
            config.logLevel = text
        }
        return config
    }
}

extension ControllerConfig {
    /// The controller's TLS identity for satellites whose interface is SSL, or `nil` when none is set.
    ///
    /// Loaded once at start-up so that a missing or broken PEM file stops the controller with the
    /// file's name instead of failing every SSL node's link later.
    ///
    /// - Throws: ``ConfigError`` when only some of the three settings are given, or a file is
    ///   missing, unreadable, not PEM, expired, or the key does not match the certificate.
    func satelliteTLS() throws(ConfigError) -> LinkTLS? {
        do {
            let files = try LinkTLSFiles.combining(
                certificate: self.satelliteTLSCertificate, privateKey: self.satelliteTLSKey, certificateAuthority: self.satelliteTLSCA,
                names: (
                    "--satellite-tls-certificate (satellite_tls_certificate)", "--satellite-tls-key (satellite_tls_key)",
                    "--satellite-tls-ca (satellite_tls_ca)"
                ))
            return try files.map { files throws(LinkTLSError) in try LinkTLS(role: .controller, files: files) }
        } catch {
            throw ConfigError(error.message)
        }
    }
}

/// A configuration that cannot be used; the message says which setting and why.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}
