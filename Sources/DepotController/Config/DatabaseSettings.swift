import TOMLKit

/// LINSTOR's `[db]` section: where the controller's database is when it is not the embedded one.
public struct DatabaseSettings: Sendable, Equatable {
    /// `connection_url` (or `--db-url`): a `postgresql://` URL; nil keeps the embedded SQLite
    /// database in the data directory.
    public var connectionURL: String?
    /// `user`: replaces the URL's user, as LINSTOR takes it beside a URL without credentials.
    public var user: String?
    /// `password`: replaces the URL's password; in the file, it stays out of `ps` and the shell's history.
    public var password: String?

    public init() {}

    static let keys = ["connection_url", "user", "password"]

    /// Reads `[db]` from a TOML table.
    mutating func read(_ table: TOMLTable, file path: String) throws(ConfigError) {
        for key in table.keys where !Self.keys.contains(key) {
            throw ConfigError("Unknown key '\(key)' in [db] of \(path); known keys are \(Self.keys.joined(separator: ", ")).")
        }
        for key in Self.keys {
            guard let value = table[key] else { continue }
            guard let text = value.string, !text.isEmpty else { throw ConfigError("[db] \(key) in \(path) must be a non-empty string.") }
            switch key {
            case "connection_url": self.connectionURL = text
            case "user": self.user = text
            default: self.password = text
            }
        }
    }
}
