import DepotStore
import Foundation
import GRDB
import Synchronization

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
            let condition = storage.keyColumns.map { "\($0) = ?" }.joined(separator: " AND ")
            try db.execute(sql: "DELETE FROM \(storage.table) WHERE \(condition)", arguments: StatementArguments(change.keyValues))
        }
    }

    /// Decodes the table's documents on all cores: JSON decoding dominates a cold start at scale.
    func readAll(_ db: Database) throws -> [any StoredObject] {
        let storage = Object.storage
        let columns = storage.keyColumns + ["data"]
        let rows = try Row.fetchAll(db, sql: "SELECT \(columns.joined(separator: ", ")) FROM \(storage.table)").map {
            row -> (key: String, data: Data) in
            (storage.keyColumns.map { row[$0] as String }.joined(separator: "/"), row["data"])
        }
        let chunkCount = max(1, min(rows.count / 256, ProcessInfo.processInfo.activeProcessorCount * 4))
        let chunkSize = (rows.count + chunkCount - 1) / chunkCount
        let results = Mutex<[Int: Result<[Object], StoreError>]>([:])
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let decoder = JSONDecoder()
            let range = (chunk * chunkSize)..<min(rows.count, (chunk + 1) * chunkSize)
            var decoded: [Object] = []
            decoded.reserveCapacity(range.count)
            for index in range {
                do {
                    decoded.append(try decoder.decode(Object.self, from: rows[index].data))
                } catch {
                    let failure = StoreError.corruptRow(table: storage.table, key: rows[index].key, underlying: error)
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
