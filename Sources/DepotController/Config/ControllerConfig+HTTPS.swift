import DepotLink
import NIOSSL
import TOMLKit

/// LINSTOR's `[https]` section, with PEM files where LINSTOR takes Java keystores.
public struct HTTPSSettings: Sendable, Equatable {
    /// `enabled`: false turns HTTPS off even when files are given (as LINSTOR's).
    public var enabled = true
    /// `listen_addr`; nil serves on the REST bind address's host.
    public var listenAddress: String?
    /// `port`.
    public var port = 3371
    /// `certificate`: the controller's PEM certificate (chain) for HTTPS.
    public var certificate: String?
    /// `key`: its unencrypted PEM private key.
    public var key: String?
    /// `ca`: when set, clients must present a certificate this CA signed (client-certificate
    /// authentication, LINSTOR's `truststore`).
    public var certificateAuthority: String?

    public init() {}

    static let keys = ["enabled", "listen_addr", "port", "certificate", "key", "ca"]

    /// Reads `[https]` from a TOML table.
    mutating func read(_ table: TOMLTable, file path: String) throws(ConfigError) {
        for key in table.keys where !Self.keys.contains(key) {
            if ["keystore", "keystore_password", "truststore", "truststore_password"].contains(key) {
                throw ConfigError(
                    "[https] \(key) in \(path): Depot reads PEM files, not Java keystores. Give certificate, key and (for client "
                        + "certificates) ca; 'openssl pkcs12 -in KEYSTORE.p12 -nodes' prints a keystore's certificate and key as PEM.")
            }
            throw ConfigError("Unknown key '\(key)' in [https] of \(path); known keys are \(Self.keys.joined(separator: ", ")).")
        }
        if let value = table["enabled"] {
            guard let flag = value.bool else { throw ConfigError("[https] enabled in \(path) must be true or false.") }
            self.enabled = flag
        }
        if let value = table["port"] {
            guard let port = value.int, (1...65535).contains(port) else { throw ConfigError("[https] port in \(path) must be a port number (1-65535).") }
            self.port = port
        }
        for key in ["listen_addr", "certificate", "key", "ca"] {
            guard let value = table[key] else { continue }
            guard let text = value.string, !text.isEmpty else { throw ConfigError("[https] \(key) in \(path) must be a non-empty string.") }
            switch key {
            case "listen_addr": self.listenAddress = text
            case "certificate": self.certificate = text
            case "key": self.key = text
            default: self.certificateAuthority = text
            }
        }
    }
}

extension ControllerConfig {
    /// Where HTTPS listens: `[https] listen_addr` (or the REST bind host) and `[https] port`.
    var httpsBind: DepotLink.BindAddress {
        DepotLink.BindAddress(host: self.https.listenAddress ?? self.restBind.host, port: self.https.port)
    }

    /// The HTTPS listener's TLS from the configured PEM files, or nil when none are configured
    /// (then only `REST/AutoHTTPS` can turn HTTPS on).
    ///
    /// - Throws: ``ConfigError`` when only one of certificate and key is given, or a file cannot be
    ///   used (named, with the reason).
    func restTLS() throws(ConfigError) -> TLSConfiguration? {
        let settings = self.https
        guard settings.enabled else { return nil }
        switch (settings.certificate, settings.key) {
        case (nil, nil):
            guard settings.certificateAuthority == nil else {
                throw ConfigError("[https] ca (--https-ca) needs [https] certificate and key (--https-certificate, --https-key).")
            }
            return nil
        case (let certificate?, let key?):
            do {
                return try RESTServerTLS.configuration(certificate: certificate, key: key, clientCA: settings.certificateAuthority)
            } catch {
                throw ConfigError(error.message)
            }
        default:
            throw ConfigError("HTTPS needs both [https] certificate and key (--https-certificate and --https-key); only one was given.")
        }
    }
}
