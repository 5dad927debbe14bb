public import DepotStore
import Foundation
import GRDB

/// The embedded database: one SQLite file in the controller's data directory.
///
/// WAL mode with `synchronous=FULL`, so a commit survives a crash or power loss once it returned.
public final class SQLiteStore: ClusterStore {
    public let path: String
    private let queue: DatabaseQueue
    private let isNew: Bool

    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    ///
    /// - Throws: ``StoreError`` when the file cannot be opened or a migration fails; in that case
    ///   the file is left as it was.
    public convenience init(path: String) throws {
        try self.init(path: path, migrations: nil)
    }

    init(path: String, migrations: [Migration]?) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            self.queue = try DatabaseQueue(path: path, configuration: configuration)
            try self.queue.writeWithoutTransaction { db in
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                let check = try String.fetchAll(db, sql: "PRAGMA quick_check")
                guard check == ["ok"] else {
                    throw StoreError("The database \(path) is damaged (\(check.prefix(3).joined(separator: "; "))). Restore a backup.")
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError("Cannot open the database \(path): \(error)")
        }
        self.isNew = try Schema.migrate(self.queue, path: path, migrations: migrations ?? Schema.migrations) == 0
    }

    /// The schema version of the open database.
    public func schemaVersion() throws -> Int {
        try self.queue.read { db in try Int.fetchOne(db, sql: "SELECT MAX(version) FROM depot_schema") ?? 0 }
    }

    public func load() async throws -> StoredCluster {
        let isNew = self.isNew
        return try await self.queue.read { db in
            var cluster = StoredCluster()
            cluster.isNewDatabase = isNew
            for kind in StoredKinds.all {
                let loaded = try SQLiteLayouts.layout(for: kind).readAll(db)
                cluster.set(loaded.objects, of: kind)
                cluster.damaged += loaded.damaged
            }
            return cluster
        }
    }

    /// Runs on GRDB's own writer queue, so the caller's thread is free while SQLite syncs to disk.
    public func commit(_ changes: [StoreChange]) async throws {
        guard !changes.isEmpty else { return }
        try await self.queue.write { db in
            for change in changes {
                try SQLiteLayouts.layout(for: change.kind).write(change, to: db)
            }
        }
    }

    /// Copies the live database into a new SQLite file at `path` with SQLite's online backup: a
    /// consistent copy, taken while the controller keeps serving (LINSTOR's `backup/db`).
    public func backup(to path: String) throws {
        let destination = try DatabaseQueue(path: path)
        try self.queue.backup(to: destination)
        try destination.close()
    }

    public func quarantine(_ rows: [DamagedRow]) async throws {
        guard !rows.isEmpty else { return }
        let now = ISO8601DateFormatter().string(from: Date())
        try await self.queue.write { db in
            for row in rows {
                guard let layout = SQLiteLayouts.layout(forTable: row.table) else {
                    throw StoreError("No kind is stored in table \(row.table).")
                }
                guard let content = try layout.content(of: row.key, in: db) else { continue }
                try db.execute(
                    sql: "INSERT INTO quarantined_rows (table_name, row_key, reason, content, quarantined_at) VALUES (?, ?, ?, ?, ?)",
                    arguments: [row.table, try QuarantineKey.encode(row.key), row.reason, content, now])
                try layout.remove(row.key, from: db)
            }
        }
    }

    public func quarantined() async throws -> [QuarantinedRow] {
        try await self.queue.read { db in
            try Row.fetchAll(db, sql: "SELECT table_name, row_key, reason, content, quarantined_at FROM quarantined_rows ORDER BY id").map { row in
                QuarantinedRow(
                    row: DamagedRow(table: row[0], key: try QuarantineKey.decode(row[1]), reason: row[2]), content: row[3], quarantinedAt: row[4])
            }
        }
    }
}
