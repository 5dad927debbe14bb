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
    /// `lease_seconds` (or `--lease-seconds`): how long the active controller's lease lasts
    /// without renewal when several controllers share the database.
    public var leaseSeconds: Double?
    /// `advertise_url` (or `--advertise-url`): the REST URL standbys redirect clients to.
    public var advertiseURL: String?

    public init() {}

    static let keys = ["connection_url", "user", "password", "lease_seconds", "advertise_url"]

    /// The lease duration a value of `lease_seconds`/`--lease-seconds` gives, checked.
    public static func leaseDuration(seconds: Double, from source: String) throws(ConfigError) -> Duration {
        guard seconds >= 1, seconds <= 300 else { throw ConfigError("\(source) must be between 1 and 300 seconds, not \(seconds).") }
        return .milliseconds(Int64(seconds * 1000))
    }

    /// Reads `[db]` from a TOML table.
    mutating func read(_ table: TOMLTable, file path: String) throws(ConfigError) {
        for key in table.keys where !Self.keys.contains(key) {
            throw ConfigError("Unknown key '\(key)' in [db] of \(path); known keys are \(Self.keys.joined(separator: ", ")).")
        }
        if let value = table["lease_seconds"] {
            guard let seconds = value.double ?? value.int.map(Double.init) else {
                throw ConfigError("[db] lease_seconds in \(path) must be a number of seconds, like 3.")
            }
            self.leaseSeconds = seconds
        }
        for key in Self.keys where key != "lease_seconds" {
            guard let value = table[key] else { continue }
            guard let text = value.string, !text.isEmpty else { throw ConfigError("[db] \(key) in \(path) must be a non-empty string.") }
            switch key {
            case "connection_url": self.connectionURL = text
            case "user": self.user = text
            case "advertise_url": self.advertiseURL = text
            default: self.password = text
            }
        }
    }
}
