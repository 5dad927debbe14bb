import DepotSQLite
import DepotStore
import Foundation

/// A database the maintenance commands open: the embedded SQLite file or a PostgreSQL server.
///
/// Written `sqlite:PATH` or `postgresql://…` on the command line; without one, the database the
/// controller's configuration names.
public enum DatabaseLocation: Sendable, CustomStringConvertible {
    case sqlite(path: String)

    /// Parses a `--from`/`--to` argument.
    public init(parsing text: String) throws(DatabaseToolError) {
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard path.hasPrefix("/") else {
                throw DatabaseToolError("'\(text)' needs an absolute path: sqlite:/var/lib/depot/depot.sqlite")
            }
            self = .sqlite(path: path)
            return
        }
        throw DatabaseToolError("'\(text)' is not a database location. Use sqlite:/ABSOLUTE/PATH.sqlite.")
    }

    /// The database the controller with `config` uses.
    public init(config: ControllerConfig) {
        self = .sqlite(path: config.dataDirectory + "/depot.sqlite")
    }

    public var description: String {
        switch self {
        case .sqlite(let path): "SQLite database \(path)"
        }
    }

    /// Opens it, creating and migrating it as a controller would.
    func open() throws -> any ClusterStore {
        switch self {
        case .sqlite(let path):
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            return try SQLiteStore(path: path)
        }
    }

    /// The directory whose lock a controller using this database holds.
    var lockDirectory: String {
        switch self {
        case .sqlite(let path): (path as NSString).deletingLastPathComponent
        }
    }

    /// Keeps a controller from using the database while a command changes or copies it: the data
    /// directory's lock, which a running controller holds.
    func exclusiveUse() throws -> DataDirectoryLock {
        try DataDirectoryLock(directory: self.lockDirectory)
    }
}
