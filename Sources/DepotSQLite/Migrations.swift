import DepotModel
import DepotStore
import Foundation
import GRDB

/// One step of the schema's history. Steps are never edited once released; new steps are appended.
struct Migration: Sendable {
    let version: Int
    let name: String
    let apply: @Sendable (Database) throws -> Void
}

/// The schema's history, oldest first.
///
/// Most objects are stored as one JSON document per row, keyed by their case-insensitive identity;
/// resources, by far the most numerous, are stored in columns (version 2). The in-memory model is the
/// authority while the controller runs; the tables only need to reload it.
enum Schema {
    static let migrations: [Migration] = [
        Migration(version: 1, name: "initial schema") { db in
            try db.execute(
                sql: """
                    CREATE TABLE controller_props (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                    CREATE TABLE nodes (key TEXT PRIMARY KEY NOT NULL, data BLOB NOT NULL);
                    CREATE TABLE storage_pool_definitions (key TEXT PRIMARY KEY NOT NULL, data BLOB NOT NULL);
                    CREATE TABLE storage_pools (
                        node_key TEXT NOT NULL, pool_key TEXT NOT NULL, data BLOB NOT NULL,
                        PRIMARY KEY (node_key, pool_key));
                    CREATE TABLE resource_groups (key TEXT PRIMARY KEY NOT NULL, data BLOB NOT NULL);
                    CREATE TABLE resource_definitions (key TEXT PRIMARY KEY NOT NULL, data BLOB NOT NULL);
                    CREATE TABLE resources (
                        resource_key TEXT NOT NULL, node_key TEXT NOT NULL, data BLOB NOT NULL,
                        PRIMARY KEY (resource_key, node_key));
                    """
            )
        },
        Migration(version: 2, name: "resources in columns") { db in
            try db.execute(sql: ResourceRows.createTables)
            let decoder = JSONDecoder()
            for row in try Row.fetchAll(db, sql: "SELECT resource_key, node_key, data FROM resources") {
                let resource = try decoder.decode(Resource.self, from: row["data"] as Data)
                let key = ResourceKey(resource: ObjectKey(row["resource_key"] as String), node: ObjectKey(row["node_key"] as String))
                try ResourceRows.write(db, key, resource)
            }
            try db.execute(sql: "DROP TABLE resources")
        },
        Migration(version: 3, name: "node and resource connections") { db in
            try db.execute(
                sql: """
                    CREATE TABLE node_connections (
                        node_a_key TEXT NOT NULL, node_b_key TEXT NOT NULL, data BLOB NOT NULL,
                        PRIMARY KEY (node_a_key, node_b_key));
                    CREATE TABLE resource_connections (
                        resource_key TEXT NOT NULL, node_a_key TEXT NOT NULL, node_b_key TEXT NOT NULL, data BLOB NOT NULL,
                        PRIMARY KEY (resource_key, node_a_key, node_b_key));
                    """
            )
        },
        Migration(version: 4, name: "key-value stores") { db in
            try db.execute(sql: "CREATE TABLE key_value_stores (key TEXT PRIMARY KEY NOT NULL, data BLOB NOT NULL)")
        },
        Migration(version: 5, name: "snapshots") { db in
            try db.execute(
                sql: """
                    CREATE TABLE snapshots (
                        resource_key TEXT NOT NULL, snapshot_key TEXT NOT NULL, data BLOB NOT NULL,
                        PRIMARY KEY (resource_key, snapshot_key))
                    """)
        },
        Migration(version: 6, name: "master key") { db in
            try db.execute(sql: "CREATE TABLE master_key (key TEXT PRIMARY KEY NOT NULL, data BLOB NOT NULL)")
        },
        Migration(version: 7, name: "auth tokens") { db in
            try db.execute(sql: "CREATE TABLE auth_tokens (id TEXT PRIMARY KEY NOT NULL, data BLOB NOT NULL)")
        },
        Migration(version: 8, name: "quarantine") { db in
            try db.execute(
                sql: """
                    CREATE TABLE quarantined_rows (
                        id INTEGER PRIMARY KEY AUTOINCREMENT, table_name TEXT NOT NULL, row_key TEXT NOT NULL,
                        reason TEXT NOT NULL, content TEXT NOT NULL, quarantined_at TEXT NOT NULL)
                    """)
        },
        // Used by engines several controllers share; the embedded database keeps the same history.
        Migration(version: 9, name: "controller lease") { db in
            try db.execute(
                sql: """
                    CREATE TABLE controller_lease (
                        id INTEGER PRIMARY KEY CHECK (id = 1), holder TEXT NOT NULL, rest_url TEXT NOT NULL,
                        fencing_token INTEGER NOT NULL, expires_at TEXT NOT NULL)
                    """)
        },
    ]

    static var latestVersion: Int { self.migrations.last?.version ?? 0 }

    /// Applies every pending migration in one transaction, so a failure leaves the database as it was.
    /// - Returns: the schema version found before migrating (0 for a new database).
    @discardableResult
    static func migrate(_ queue: DatabaseQueue, path: String, migrations: [Migration] = Schema.migrations) throws -> Int {
        try queue.inDatabase { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS depot_schema (version INTEGER NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
        }
        let current = try queue.read { db in try Int.fetchOne(db, sql: "SELECT MAX(version) FROM depot_schema") ?? 0 }
        let known = migrations.last?.version ?? 0
        guard current <= known else { throw StoreError.tooNew(path: path, found: current, known: known) }
        let pending = migrations.filter { $0.version > current }
        guard !pending.isEmpty else { return current }
        var failing: Migration?
        do {
            try queue.write { db in
                for migration in pending {
                    failing = migration
                    try migration.apply(db)
                    try db.execute(
                        sql: "INSERT INTO depot_schema (version, name, applied_at) VALUES (?, ?, datetime('now'))",
                        arguments: [migration.version, migration.name]
                    )
                }
            }
        } catch {
            let step = failing ?? pending[0]
            throw StoreError.migrationFailed(path: path, version: step.version, name: step.name, underlying: error)
        }
        return current
    }
}
