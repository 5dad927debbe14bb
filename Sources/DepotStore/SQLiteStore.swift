import DepotModel
import Foundation
import GRDB
import Synchronization

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

    public func load() throws -> StoredCluster {
        try self.queue.read { db in
            var cluster = StoredCluster()
            cluster.isNewDatabase = self.isNew
            for row in try Row.fetchAll(db, sql: "SELECT key, value FROM controller_props") {
                cluster.controllerProps[row["key"]] = row["value"]
            }
            cluster.nodes = try Self.documents(db, table: "nodes")
            cluster.storagePoolDefinitions = try Self.documents(db, table: "storage_pool_definitions")
            cluster.storagePools = try Self.documents(db, table: "storage_pools")
            cluster.resourceGroups = try Self.documents(db, table: "resource_groups")
            cluster.resourceDefinitions = try Self.documents(db, table: "resource_definitions")
            cluster.resources = try ResourceRows.readAll(db)
            cluster.nodeConnections = try Self.documents(db, table: "node_connections")
            cluster.resourceConnections = try Self.documents(db, table: "resource_connections")
            return cluster
        }
    }

    /// Runs on GRDB's own writer queue, so the caller's thread is free while SQLite syncs to disk.
    public func commit(_ changes: [StoreChange]) async throws {
        guard !changes.isEmpty else { return }
        try await self.queue.write { db in
            let encoder = JSONEncoder()
            for change in changes {
                switch change {
                case .controllerProp(let key, let value?):
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO controller_props (key, value) VALUES (?, ?)", arguments: [key, value])
                case .controllerProp(let key, nil):
                    try db.execute(sql: "DELETE FROM controller_props WHERE key = ?", arguments: [key])
                case .node(let key, let node):
                    try Self.put(db, table: "nodes", key: key, node, encoder)
                case .storagePoolDefinition(let key, let definition):
                    try Self.put(db, table: "storage_pool_definitions", key: key, definition, encoder)
                case .storagePool(let key, let pool):
                    try Self.put(db, table: "storage_pools", columns: ("node_key", "pool_key"), key: key, pool, encoder)
                case .resourceGroup(let key, let group):
                    try Self.put(db, table: "resource_groups", key: key, group, encoder)
                case .resourceDefinition(let key, let definition):
                    try Self.put(db, table: "resource_definitions", key: key, definition, encoder)
                case .resource(let key, let resource):
                    try ResourceRows.write(db, key, resource)
                case .nodeConnection(let key, let connection):
                    try Self.put(
                        db, table: "node_connections", columns: ["node_a_key", "node_b_key"], values: [key.low.rawValue, key.high.rawValue],
                        connection, encoder)
                case .resourceConnection(let key, let connection):
                    try Self.put(
                        db, table: "resource_connections", columns: ["resource_key", "node_a_key", "node_b_key"],
                        values: [key.resource.rawValue, key.nodes.low.rawValue, key.nodes.high.rawValue], connection, encoder)
                }
            }
        }
    }

    private static func put<T: Encodable>(_ db: Database, table: String, key: ObjectKey, _ value: T?, _ encoder: JSONEncoder) throws {
        if let value {
            try db.execute(
                sql: "INSERT OR REPLACE INTO \(table) (key, data) VALUES (?, ?)",
                arguments: [key.rawValue, try encoder.encode(value)])
        } else {
            try db.execute(sql: "DELETE FROM \(table) WHERE key = ?", arguments: [key.rawValue])
        }
    }

    private static func put<T: Encodable>(
        _ db: Database, table: String, columns: (String, String), key: PairKey, _ value: T?, _ encoder: JSONEncoder
    ) throws {
        if let value {
            try db.execute(
                sql: "INSERT OR REPLACE INTO \(table) (\(columns.0), \(columns.1), data) VALUES (?, ?, ?)",
                arguments: [key.first.rawValue, key.second.rawValue, try encoder.encode(value)])
        } else {
            try db.execute(
                sql: "DELETE FROM \(table) WHERE \(columns.0) = ? AND \(columns.1) = ?",
                arguments: [key.first.rawValue, key.second.rawValue])
        }
    }

    /// Writes or removes a document keyed by several columns.
    private static func put<T: Encodable>(
        _ db: Database, table: String, columns: [String], values: [String], _ value: T?, _ encoder: JSONEncoder
    ) throws {
        if let value {
            let placeholders = Array(repeating: "?", count: columns.count + 1).joined(separator: ", ")
            try db.execute(
                sql: "INSERT OR REPLACE INTO \(table) (\(columns.joined(separator: ", ")), data) VALUES (\(placeholders))",
                arguments: StatementArguments(values) + [try encoder.encode(value)])
        } else {
            let condition = columns.map { "\($0) = ?" }.joined(separator: " AND ")
            try db.execute(sql: "DELETE FROM \(table) WHERE \(condition)", arguments: StatementArguments(values))
        }
    }

    /// Decodes a table's documents on all cores: JSON decoding dominates a cold start at scale.
    private static func documents<T: Decodable & Sendable>(_ db: Database, table: String) throws -> [T] {
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(table)").map { row -> (key: String, data: Data) in
            let key = row.columnNames.filter { $0 != "data" }.map { String(describing: row[$0] as DatabaseValue) }
            return (key.joined(separator: "/"), row["data"])
        }
        let chunkCount = max(1, min(rows.count / 256, ProcessInfo.processInfo.activeProcessorCount * 4))
        let chunkSize = (rows.count + chunkCount - 1) / max(chunkCount, 1)
        let results = Mutex<[Int: Result<[T], StoreError>]>([:])
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let decoder = JSONDecoder()
            let range = (chunk * chunkSize)..<min(rows.count, (chunk + 1) * chunkSize)
            var decoded: [T] = []
            decoded.reserveCapacity(range.count)
            for index in range {
                do {
                    decoded.append(try decoder.decode(T.self, from: rows[index].data))
                } catch {
                    let failure = StoreError.corruptRow(table: table, key: rows[index].key, underlying: error)
                    results.withLock { $0[chunk] = .failure(failure) }
                    return
                }
            }
            results.withLock { $0[chunk] = .success(decoded) }
        }
        return try results.withLock { results in
            try (0..<chunkCount).flatMap { chunk in try results[chunk]?.get() ?? [] }
        }
    }
}
