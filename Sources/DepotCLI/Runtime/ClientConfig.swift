import DepotClient
import Foundation

/// LINSTOR's client configuration files (INI), read as `linstor` reads them.
///
/// Order: every `/etc/linstor/linstor-client.d/*.conf` (sorted), then either the per-user
/// `~/.config/linstor/linstor-client.conf` or, only if that does not exist,
/// `/etc/linstor/linstor-client.conf`. A later file's section replaces the whole earlier section.
struct ClientConfig {
    var sections: [String: [(key: String, value: String)]] = [:]

    static func load(environment: [String: String]) -> ClientConfig {
        var config = ClientConfig()
        let directory = "/etc/linstor/linstor-client.d"
        let fragments = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in fragments.filter({ $0.hasSuffix(".conf") }).sorted() {
            config.merge(file: directory + "/" + name)
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let user = home + "/.config/linstor/linstor-client.conf"
        config.merge(file: FileManager.default.fileExists(atPath: user) ? user : "/etc/linstor/linstor-client.conf")
        return config
    }

    mutating func merge(file path: String) {
        guard let data = FileManager.default.contents(atPath: path) else { return }
        for (name, entries) in Self.parse(String(decoding: data, as: UTF8.self)) {
            self.sections[name] = entries
        }
    }

    /// Parses INI text the way Python's ConfigParser does for these files: `[section]`, `key = value`
    /// or `key: value` (keys lowercased), `#` and `;` comment lines.
    static func parse(_ text: String) -> [(String, [(key: String, value: String)])] {
        var result: [(String, [(key: String, value: String)])] = []
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingSpaces()
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                result.append((String(line.dropFirst().dropLast()), []))
                continue
            }
            guard !result.isEmpty, let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else { continue }
            let key = line[..<separator].trimmingSpaces().lowercased()
            let value = line[line.index(after: separator)...].trimmingSpaces()
            result[result.count - 1].1.append((key: key, value: value))
        }
        return result
    }

    /// `[global]` entries as words inserted before the user's (`--key value`, or a bare `--key`).
    var globalWords: [String] {
        (self.sections["global"] ?? []).flatMap { entry in
            entry.value.isEmpty ? ["--" + entry.key] : ["--" + entry.key, entry.value]
        }
    }

    /// `LS_CLIENT_<NAME>=<v>` variables as words (`--<name> <v>`).
    static func environmentWords(_ environment: [String: String]) -> [String] {
        environment.keys.sorted().filter { $0.hasPrefix("LS_CLIENT_") }.flatMap { key -> [String] in
            let name =
                "--"
                + String(key.dropFirst("LS_CLIENT_".count)).lowercased().map { $0 == "_" ? "-" : $0 }.map(String.init)
                .joined()
            let value = environment[key] ?? ""
            return value.isEmpty ? [name] : [name, value]
        }
    }
}
