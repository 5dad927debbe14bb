import DepotStore
import GRDB

/// Controller properties as plain key/value rows, as the first schema made them.
struct ControllerPropertyRows: SQLiteLayout {
    var tables: [String] { ["controller_props"] }

    func write(_ change: StoreChange, to db: Database) throws {
        if let property = change.object as? ControllerProperty {
            try db.execute(
                sql: "INSERT OR REPLACE INTO controller_props (key, value) VALUES (?, ?)", arguments: [property.key, property.value])
        } else {
            try db.execute(sql: "DELETE FROM controller_props WHERE key = ?", arguments: StatementArguments(change.keyValues))
        }
    }

    func readAll(_ db: Database) throws -> LoadedRows {
        LoadedRows(
            objects: try Row.fetchAll(db, sql: "SELECT key, value FROM controller_props").map { row in
                ControllerProperty(key: row["key"], value: row["value"])
            })
    }

    func content(of key: [String], in db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM controller_props WHERE key = ?", arguments: StatementArguments(key))
    }

    func remove(_ key: [String], from db: Database) throws {
        try db.execute(sql: "DELETE FROM controller_props WHERE key = ?", arguments: StatementArguments(key))
    }
}
