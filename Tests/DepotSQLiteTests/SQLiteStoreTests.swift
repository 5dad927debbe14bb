import DepotModel
import DepotStore
import Foundation
import GRDB
import Testing

@testable import DepotSQLite

/// What only the SQLite backend does: its schema history, its damaged-file and newer-file checks.
/// Round trips, atomic batches and migrations with data are in ``SQLiteConformanceTests``.
@Suite struct SQLiteStoreTests {
    private func temporaryPath() -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("depot-store-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("depot.sqlite").path
    }

    private func cleanUp(_ path: String) {
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }

    @Test func createsTheLatestSchema() async throws {
        let path = self.temporaryPath()
        defer { self.cleanUp(path) }
        #expect(try SQLiteStore(path: path).schemaVersion() == Schema.latestVersion)
    }

    @Test func failingMigrationLeavesTheDatabaseIntact() async throws {
        let path = self.temporaryPath()
        defer { self.cleanUp(path) }
        let group = ResourceGroup(name: "kept", uuid: "k")
        // A database still at version 1, so that one real and two test migrations are pending.
        try await SQLiteStore(path: path, migrations: Array(Schema.migrations.prefix(1))).commit([.put(group)])
        let latest = Schema.latestVersion
        let broken =
            Schema.migrations + [
                Migration(version: latest + 1, name: "adds a table") { db in try db.execute(sql: "CREATE TABLE extra (x INTEGER)") },
                Migration(version: latest + 2, name: "fails") { db in try db.execute(sql: "ALTER TABLE no_such_table ADD COLUMN y") },
            ]
        #expect {
            try SQLiteStore(path: path, migrations: broken)
        } throws: { error in
            let text = String(describing: error)
            return text.contains("migration \(latest + 2) (fails)") && text.contains("unchanged")
        }
        let untouched = try await DatabaseQueue(path: path).read { db in
            (try Int.fetchOne(db, sql: "SELECT MAX(version) FROM depot_schema"), try db.tableExists("extra"), try db.tableExists("resources"))
        }
        #expect(untouched.0 == 1)
        #expect(!untouched.1)
        #expect(untouched.2)
        let store = try SQLiteStore(path: path)
        #expect(try store.schemaVersion() == latest)
        #expect(try await store.load()[ResourceGroup.self] == [group])
    }

    @Test func migratesAnEarlierSchemaInOneStep() async throws {
        let path = self.temporaryPath()
        defer { self.cleanUp(path) }
        _ = try SQLiteStore(path: path)
        let later =
            Schema.migrations + [
                Migration(version: Schema.latestVersion + 1, name: "adds a column") { db in
                    try db.execute(sql: "ALTER TABLE nodes ADD COLUMN note TEXT")
                }
            ]
        let migrated = try SQLiteStore(path: path, migrations: later)
        #expect(try migrated.schemaVersion() == Schema.latestVersion + 1)
    }

    @Test func refusesADatabaseFromANewerDepot() async throws {
        let path = self.temporaryPath()
        defer { self.cleanUp(path) }
        _ = try SQLiteStore(path: path)
        try await DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO depot_schema (version, name, applied_at) VALUES (99, 'future', 'now')")
        }
        #expect { try SQLiteStore(path: path) } throws: { String(describing: $0).contains("schema version 99") }
    }

    @Test func reportsUnreadableRowsAndLoadsTheRest() async throws {
        let path = self.temporaryPath()
        defer { self.cleanUp(path) }
        let store = try SQLiteStore(path: path)
        try await DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO nodes (key, data) VALUES ('BROKEN', X'7B7D')")
        }
        let loaded = try await store.load()
        #expect(loaded.damaged == [DamagedRow(table: "nodes", key: ["BROKEN"], reason: "the field name is missing in the document")])
        #expect(loaded[Node.self].isEmpty)
    }
}
