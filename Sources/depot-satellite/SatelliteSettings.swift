import DepotLink
import DepotSatellite
import Foundation
import TOMLKit

/// The satellite's settings from its TOML file and flags.
struct SatelliteSettings {
    var host = "::"
    var port = 3366
    var stateDirectory = "/var/lib/depot-satellite"
    /// Where error reports go; `nil`: `error-reports` in the state directory.
    var errorReportDirectoryOverride: String?

    var errorReportDirectory: String { self.errorReportDirectoryOverride ?? self.stateDirectory + "/error-reports" }
    var hostname: String?
    var logLevel = "info"
    /// Where the controller's REST token for this node's clients is written.
    var restTokenFile = RESTTokenFile.defaultPath
    /// Where DRBD `.res` files go; the include line admins add points here.
    var drbdConfigDirectory = DRBDSettings.defaultConfigDirectory
    /// The drbdsetup drbdadm is told to use (`drbdadm -s`); `nil` for the one in `PATH`.
    var drbdsetup: String?
    /// The `/etc/drbd.d` file including the `.res` files; `nil`: the default one, but only with the
    /// default configuration directory (a satellite with its own directory shares a host), "none": none.
    var drbdSystemInclude: String?

    /// The include file in effect (see ``drbdSystemInclude``).
    var effectiveDRBDSystemInclude: String? {
        switch self.drbdSystemInclude {
        case "none": nil
        case let path?: path
        case nil: self.drbdConfigDirectory == DRBDSettings.defaultConfigDirectory ? DRBDSettings.defaultSystemInclude : nil
        }
    }
    /// PEM files for mutual TLS; all three or none (see ``tlsFiles()``).
    var tlsCertificate: String?
    var tlsKey: String?
    var tlsCA: String?
    /// Where the TLS listener binds; `nil` means the ``host`` of `bind`, so that one `--bind`
    /// address serves both modes and only the port differs (LINSTOR: 3366 plain, 3367 SSL).
    var tlsHost: String?
    var tlsPort = 3367
    /// Whether `tls_bind` / `--tls-bind` was given, which makes sense only with the TLS files.
    var isTLSBindSet = false

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    static func load(tomlFile path: String) throws -> SatelliteSettings {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw Invalid(description: "Cannot read the configuration file \(path): \(error.localizedDescription)")
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch {
            throw Invalid(description: "The configuration file \(path) is not valid TOML: \(error)")
        }
        var settings = SatelliteSettings()
        for key in table.keys {
            guard let value = table[key]?.string else {
                throw Invalid(description: "'\(key)' in \(path) must be a string.")
            }
            switch key {
            case "bind": try settings.setBind(value)
            case "state_dir": settings.stateDirectory = value
            case "error_report_dir": settings.errorReportDirectoryOverride = value
            case "hostname": settings.hostname = value
            case "log_level": settings.logLevel = value
            case "rest_token_file": settings.restTokenFile = value
            case "tls_certificate": settings.tlsCertificate = value
            case "tls_key": settings.tlsKey = value
            case "tls_ca": settings.tlsCA = value
            case "tls_bind": try settings.setTLSBind(value)
            case "drbd_config_dir": settings.drbdConfigDirectory = value
            case "drbdsetup": settings.drbdsetup = value
            case "drbd_system_include": settings.drbdSystemInclude = value
            default:
                throw Invalid(
                    description: "Unknown key '\(key)' in \(path); known keys are bind, state_dir, error_report_dir, hostname, log_level, rest_token_file, "
                        + "tls_certificate, tls_key, tls_ca, tls_bind, drbd_config_dir, drbdsetup and drbd_system_include.")
            }
        }
        return settings
    }

    /// Reads `ADDR:PORT`, `[V6]:PORT` or `:PORT`.
    mutating func setBind(_ text: String) throws {
        let address = try BindAddress(parsing: text)
        self.host = address.host
        self.port = address.port
    }

    /// Reads the TLS listener's `ADDR:PORT` like ``setBind(_:)``.
    mutating func setTLSBind(_ text: String) throws {
        var parsed = SatelliteSettings()
        try parsed.setBind(text)
        self.tlsHost = parsed.host
        self.tlsPort = parsed.port
        self.isTLSBindSet = true
    }

    /// The TLS files when all three are set, `nil` for plain TCP.
    ///
    /// - Throws: when only some are set, or a TLS bind address is set without them: half a TLS
    ///   configuration must stop the satellite rather than leave it listening in plain TCP.
    func tlsFiles() throws -> LinkTLSFiles? {
        let files = try LinkTLSFiles.combining(
            certificate: self.tlsCertificate, privateKey: self.tlsKey, certificateAuthority: self.tlsCA,
            names: ("--tls-certificate (tls_certificate)", "--tls-key (tls_key)", "--tls-ca (tls_ca)"))
        if files == nil, self.isTLSBindSet {
            throw Invalid(description: "--tls-bind (tls_bind) needs --tls-certificate, --tls-key and --tls-ca.")
        }
        return files
    }

    /// `uname -n`: the name DRBD matches `on` sections against.
    static func unameNodeName() -> String {
        var name = utsname()
        uname(&name)
        return withUnsafeBytes(of: &name.nodename) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
