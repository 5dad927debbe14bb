import DepotStore
import Foundation
import GRDB

/// A kind stored as one JSON document per row, beside its key columns.
struct DocumentRows<Object: StoredObject>: SQLiteLayout {
    var tables: [String] { [Object.storage.table] }

    func write(_ change: StoreChange, to db: Database) throws {
        let storage = Object.storage
        if let object = change.object {
            let columns = storage.keyColumns + ["data"]
            let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
            try db.execute(
                sql: "INSERT OR REPLACE INTO \(storage.table) (\(columns.joined(separator: ", "))) VALUES (\(placeholders))",
                arguments: StatementArguments(change.keyValues) + [try JSONEncoder().encode(object)])
        } else {
            try self.remove(change.keyValues, from: db)
        }
    }

    func content(of key: [String], in db: Database) throws -> String? {
        let data = try Data.fetchOne(
            db, sql: "SELECT data FROM \(Object.storage.table) WHERE \(self.condition)", arguments: StatementArguments(key))
        return data.map { String(decoding: $0, as: UTF8.self) }
    }

    func remove(_ key: [String], from db: Database) throws {
        try db.execute(sql: "DELETE FROM \(Object.storage.table) WHERE \(self.condition)", arguments: StatementArguments(key))
    }

    private var condition: String { Object.storage.keyColumns.map { "\($0) = ?" }.joined(separator: " AND ") }

    /// A row that does not decode is reported as damaged; the others still load.
    func readAll(_ db: Database) throws -> LoadedRows {
        let storage = Object.storage
        let columns = storage.keyColumns + ["data"]
        let rows = try Row.fetchAll(db, sql: "SELECT \(columns.joined(separator: ", ")) FROM \(storage.table)").map {
            row -> (key: [String], data: Data) in
            (storage.keyColumns.map { row[$0] as String }, row["data"])
        }
        return StoredDocuments.decode(rows, as: Object.self)
    }
}
