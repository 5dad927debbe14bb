import DepotModel
import DepotStore
import DepotTestSupport
import Foundation
import GRDB

@testable import DepotSQLite

/// The SQLite backend for the conformance suite: databases in temporary directories, earlier
/// schemas made by running only their migrations, refused writes made with triggers.
struct SQLiteHarness: StoreHarness {
    func makeDatabase() async throws -> any TestDatabase {
        try SQLiteTestDatabase()
    }

    var earlierSchemaVersions: [Int] { Schema.migrations.dropLast().map(\.version) }

    var storesEncodedRows: Bool { true }

    func makeDatabase(atSchema version: Int, holding objects: [any StoredObject]) async throws
        -> (database: any TestDatabase, held: [any StoredObject])
    {
        let database = try SQLiteTestDatabase()
        _ = try SQLiteStore(path: database.path, migrations: Schema.migrations.filter { $0.version <= version })
        let held = try await DatabaseQueue(path: database.path).write { db in
            try objects.filter { object in try Self.write(object, asOfSchema: version, to: db) }
        }
        return (database, held)
    }

    /// Writes `object` the way schema `version` stored it; false when that schema had no place for it.
    private static func write(_ object: any StoredObject, asOfSchema version: Int, to db: Database) throws -> Bool {
        if version == 1, let resource = object as? Resource {
            try db.execute(
                sql: "INSERT INTO resources (resource_key, node_key, data) VALUES (?, ?, ?)",
                arguments: [resource.key.resource.rawValue, resource.key.node.rawValue, try JSONEncoder().encode(resource)])
            return true
        }
        let layout = SQLiteLayouts.layout(for: type(of: object))
        guard try layout.tables.allSatisfy({ try db.tableExists($0) }) else { return false }
        try layout.write(.put(object), to: db)
        return true
    }
}

/// One SQLite file in a directory of its own.
struct SQLiteTestDatabase: TestDatabase {
    let directory: URL

    init() throws {
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("depot-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
    }

    var path: String { self.directory.appendingPathComponent("depot.sqlite").path }

    func open() async throws -> any ClusterStore {
        try SQLiteStore(path: self.path)
    }

    func refuseWrites(of kind: any StoredObject.Type) async throws {
        let tables = SQLiteLayouts.layout(for: kind).tables
        try await DatabaseQueue(path: self.path).write { db in
            for table in tables {
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    try db.execute(
                        sql: "CREATE TRIGGER refuse_\(table)_\(event) BEFORE \(event) ON \(table) BEGIN SELECT RAISE(ABORT, 'refused'); END")
                }
            }
        }
    }

    func corrupt(_ kind: any StoredObject.Type, key: [String]) async throws -> Bool {
        let storage = kind.storage
        let condition = storage.keyColumns.map { "\($0) = ?" }.joined(separator: " AND ")
        return try await DatabaseQueue(path: self.path).write { db in
            switch kind {
            case is ControllerProperty.Type:
                return false
            case is Resource.Type:
                try db.execute(
                    sql: "UPDATE resource_rows SET layers = 'STORAGE,QUANTUM' WHERE resource_key = ? AND node_key = ?",
                    arguments: StatementArguments(key))
            default:
                try db.execute(
                    sql: "UPDATE \(storage.table) SET data = ? WHERE \(condition)", arguments: [Data("{\"broken\": tru".utf8)] + StatementArguments(key))
            }
            return db.changesCount == 1
        }
    }

    func destroy() {
        try? FileManager.default.removeItem(at: self.directory)
    }
}
