import DepotPostgres
import DepotSQLite
import DepotStore
import Foundation
import Logging

/// A database the maintenance commands open: the embedded SQLite file or a PostgreSQL server.
///
/// Written `sqlite:PATH` or `postgresql://…` on the command line; without one, the database the
/// controller's configuration names.
public struct DatabaseLocation: Sendable, CustomStringConvertible {
    let selection: StoreSelection

    /// Parses a `--from`/`--to` argument.
    public init(parsing text: String) throws(DatabaseToolError) {
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard path.hasPrefix("/") else {
                throw DatabaseToolError("'\(text)' needs an absolute path: sqlite:/var/lib/depot/depot.sqlite")
            }
            self.selection = .sqlite(path: path)
        } else if text.hasPrefix("postgresql://") || text.hasPrefix("postgres://") {
            do {
                self.selection = .postgres(try PostgresURL(parsing: text))
            } catch {
                throw DatabaseToolError("\(error)")
            }
        } else {
            throw DatabaseToolError("'\(text)' is not a database location. Use sqlite:/ABSOLUTE/PATH.sqlite or postgresql://USER:PASSWORD@HOST:PORT/DATABASE.")
        }
    }

    /// The database the controller with `config` uses.
    public init(config: ControllerConfig) throws {
        self.selection = try StoreSelection(config: config)
    }

    public var description: String {
        switch self.selection {
        case .sqlite(let path): "SQLite database \(path)"
        case .postgres(let url): "PostgreSQL database \(url)"
        }
    }

    /// The directory whose lock a controller on this SQLite database holds; nil for PostgreSQL.
    var lockDirectory: String? {
        guard case .sqlite(let path) = self.selection else { return nil }
        return (path as NSString).deletingLastPathComponent
    }

    /// Runs `body` with the store open (created and migrated as a controller would).
    func withStore<Result: Sendable>(_ body: (any ClusterStore) async throws -> Result) async throws -> Result {
        if let directory = self.lockDirectory {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        return try await self.selection.withStore(logger: Self.quiet, body)
    }

    /// Runs `body` with the store open while no controller can use it: for SQLite the data
    /// directory's lock, which a running controller holds; for PostgreSQL the controllers' lease,
    /// taken for `purpose` (standbys wait) and given back afterwards.
    func withExclusiveStore<Result: Sendable>(purpose: String, _ body: (any ClusterStore) async throws -> Result) async throws -> Result {
        let lock = try self.lockDirectory.map { try DataDirectoryLock(directory: $0) }
        defer { withExtendedLifetime(lock) {} }
        return try await self.withStore { store in
            guard let shared = store as? any LeaseStore else { return try await body(store) }
            let holder = "depot-controller \(purpose) \(UUID().uuidString)"
            let lease = try await shared.acquireLease(holder: holder, restURL: "", duration: Self.maintenanceLease)
            guard lease.holder == holder else {
                throw DatabaseToolError(
                    "A controller is active on the \(self) (\(lease.restURL.isEmpty ? lease.holder : lease.restURL), lease valid for \(lease.remaining)). "
                        + "Stop every controller on it first.")
            }
            do {
                let result = try await body(store)
                try await shared.releaseLease(holder: holder)
                return result
            } catch {
                try? await shared.releaseLease(holder: holder)
                throw error
            }
        }
    }

    /// How long a maintenance command holds the lease: long enough for a large copy.
    static let maintenanceLease: Duration = .seconds(600)

    /// The tools print their own lines; the store's own log stays quiet unless it fails.
    private static let quiet: Logger = {
        var logger = Logger(label: "depot.controller.tools")
        logger.logLevel = .warning
        return logger
    }()
}
