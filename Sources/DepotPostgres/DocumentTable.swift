import DepotStore
import Foundation
import PostgresNIO

/// A kind stored as one JSON document per row (`data BYTEA`), beside its key columns.
///
/// BYTEA rather than JSONB: the bytes are the encoder's own, as in SQLite, the server parses
/// nothing on the commit path, and a damaged row can hold anything a bad disk or a hand edit left,
/// which the load reports instead of failing on.
struct DocumentTable<Object: StoredObject>: PostgresLayout {
    var tables: [String] { [Object.storage.table] }

    func readAll(_ session: SQLSession) async throws -> LoadedRows {
        let storage = Object.storage
        let keyCount = storage.keyColumns.count
        let rows = try await session.rows("SELECT \((storage.keyColumns + ["data"]).joined(separator: ", ")) FROM \(storage.table)").map {
            row -> (key: [String], data: Data) in
            let cells = row.makeRandomAccess()
            return (try (0..<keyCount).map { try cells[$0].decode(String.self) }, try cells[keyCount].decode(Data.self))
        }
        return StoredDocuments.decode(rows, as: Object.self)
    }

    func write(_ objects: [any StoredObject], removing removals: [[String]], on session: SQLSession) async throws {
        let storage = Object.storage
        try await storage.deleteByKeys.run(removals, on: session) { binds, key in
            for value in key { binds.append(value) }
        }
        let keys = storage.keyColumns.joined(separator: ", ")
        let upsert = BatchedStatement(
            prefix: "INSERT INTO \(storage.table) (\(keys), data)", suffix: " ON CONFLICT (\(keys)) DO UPDATE SET data = EXCLUDED.data",
            columns: storage.keyColumns.count + 1)
        let encoder = JSONEncoder()
        try await upsert.run(objects, on: session) { binds, object in
            for value in object.key.columnValues { binds.append(value) }
            try binds.append(encoder.encode(object))
        }
    }

    func content(of key: [String], on session: SQLSession) async throws -> String? {
        let storage = Object.storage
        var binds = PostgresBindings()
        for value in key { binds.append(value) }
        let row = try await session.rows("SELECT data FROM \(storage.table) WHERE \(storage.keyCondition)", binds).first
        return try row.map { String(decoding: try $0.decode(Data.self), as: UTF8.self) }
    }
}
