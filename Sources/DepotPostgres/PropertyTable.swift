import DepotStore
import PostgresNIO

/// Controller properties as plain key/value rows, as the first schema made them.
struct PropertyTable: PostgresLayout {
    var tables: [String] { ["controller_props"] }

    func readAll(_ session: SQLSession) async throws -> LoadedRows {
        LoadedRows(
            objects: try await session.rows("SELECT key, value FROM controller_props").map { row in
                let (key, value) = try row.decode((String, String).self)
                return ControllerProperty(key: key, value: value)
            })
    }

    func write(_ objects: [any StoredObject], removing removals: [[String]], on session: SQLSession) async throws {
        try await ControllerProperty.storage.deleteByKeys.run(removals, on: session) { binds, key in binds.append(key[0]) }
        let upsert = BatchedStatement(
            prefix: "INSERT INTO controller_props (key, value)", suffix: " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", columns: 2)
        try await upsert.run(objects.compactMap { $0 as? ControllerProperty }, on: session) { binds, property in
            binds.append(property.key)
            binds.append(property.value)
        }
    }

    func content(of key: [String], on session: SQLSession) async throws -> String? {
        var binds = PostgresBindings()
        binds.append(key[0])
        return try await session.rows("SELECT value FROM controller_props WHERE key = $1", binds).first?.decode(String.self)
    }
}
