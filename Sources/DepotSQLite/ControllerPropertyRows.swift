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

    func readAll(_ db: Database) throws -> [any StoredObject] {
        try Row.fetchAll(db, sql: "SELECT key, value FROM controller_props").map { row in
            ControllerProperty(key: row["key"], value: row["value"])
        }
    }
}
