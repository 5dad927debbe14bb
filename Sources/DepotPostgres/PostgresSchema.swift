import DepotModel
import DepotStore
import Foundation
import PostgresNIO

/// One step of the schema's history. Steps are never edited once released; new steps are appended.
struct PostgresMigration: Sendable {
    let version: Int
    let name: String
    let apply: @Sendable (SQLSession) async throws -> Void

    /// A step that runs `statements` in order.
    init(version: Int, name: String, statements: [String]) {
        self.init(version: version, name: name) { session in
            for statement in statements { try await session.execute(statement) }
        }
    }

    init(version: Int, name: String, apply: @escaping @Sendable (SQLSession) async throws -> Void) {
        self.version = version
        self.name = name
        self.apply = apply
    }
}

/// The schema's history, oldest first: SQLite's history (`DepotSQLite`'s `Schema`) step by step,
/// in PostgreSQL's dialect, so that both backends keep the same tables at the same version.
enum PostgresSchema {
    static let migrations: [PostgresMigration] = [
        PostgresMigration(
            version: 1, name: "initial schema",
            statements: [
                "CREATE TABLE controller_props (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)",
                Self.documents("nodes", keys: ["key"]),
                Self.documents("storage_pool_definitions", keys: ["key"]),
                Self.documents("storage_pools", keys: ["node_key", "pool_key"]),
                Self.documents("resource_groups", keys: ["key"]),
                Self.documents("resource_definitions", keys: ["key"]),
                Self.documents("resources", keys: ["resource_key", "node_key"]),
            ]),
        PostgresMigration(version: 2, name: "resources in columns") { session in
            for statement in ResourceTables.createTables { try await session.execute(statement) }
            let decoder = JSONDecoder()
            let resources = try await session.rows("SELECT data FROM resources").map { row in
                try decoder.decode(Resource.self, from: try row.decode(Data.self))
            }
            try await ResourceTables().write(resources, removing: [], on: session)
            try await session.execute("DROP TABLE resources")
        },
        PostgresMigration(
            version: 3, name: "node and resource connections",
            statements: [
                Self.documents("node_connections", keys: ["node_a_key", "node_b_key"]),
                Self.documents("resource_connections", keys: ["resource_key", "node_a_key", "node_b_key"]),
            ]),
        PostgresMigration(version: 4, name: "key-value stores", statements: [Self.documents("key_value_stores", keys: ["key"])]),
        PostgresMigration(version: 5, name: "snapshots", statements: [Self.documents("snapshots", keys: ["resource_key", "snapshot_key"])]),
        PostgresMigration(version: 6, name: "master key", statements: [Self.documents("master_key", keys: ["key"])]),
        PostgresMigration(version: 7, name: "auth tokens", statements: [Self.documents("auth_tokens", keys: ["id"])]),
        PostgresMigration(
            version: 8, name: "quarantine",
            statements: [
                """
                CREATE TABLE quarantined_rows (
                    id BIGSERIAL PRIMARY KEY, table_name TEXT NOT NULL, row_key TEXT NOT NULL,
                    reason TEXT NOT NULL, content TEXT NOT NULL, quarantined_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """
            ]),
        PostgresMigration(
            version: 9, name: "controller lease",
            statements: [
                """
                CREATE TABLE controller_lease (
                    id INTEGER PRIMARY KEY CHECK (id = 1), holder TEXT NOT NULL, rest_url TEXT NOT NULL,
                    fencing_token BIGINT NOT NULL, expires_at TIMESTAMPTZ NOT NULL)
                """
            ]),
    ]

    static var latestVersion: Int { self.migrations.last?.version ?? 0 }

    /// A table of JSON documents: the key columns and `data`, the primary key on the key columns.
    /// Spelled out in each migration as it was released, never derived from today's kinds.
    private static func documents(_ table: String, keys: [String]) -> String {
        let columns = keys.map { "\($0) TEXT NOT NULL" }.joined(separator: ", ")
        return "CREATE TABLE \(table) (\(columns), data BYTEA NOT NULL, PRIMARY KEY (\(keys.joined(separator: ", "))))"
    }
}
