import Foundation
import TOMLKit

/// The satellite's settings from its TOML file and flags.
struct SatelliteSettings {
    var host = "::"
    var port = 3366
    var stateDirectory = "/var/lib/depot-satellite"
    var hostname: String?
    var logLevel = "info"

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
            case "hostname": settings.hostname = value
            case "log_level": settings.logLevel = value
            default: throw Invalid(description: "Unknown key '\(key)' in \(path); known keys are bind, state_dir, hostname and log_level.")
            }
        }
        return settings
    }

    /// Reads `ADDR:PORT`, `[V6]:PORT` or `:PORT`.
    mutating func setBind(_ text: String) throws {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw Invalid(description: "Invalid bind address '\(text)': expected ADDR:PORT, [IPv6]:PORT or :PORT.")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host.isEmpty ? "::" : host
        self.port = port
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
