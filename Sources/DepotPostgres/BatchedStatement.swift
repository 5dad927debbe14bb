import PostgresNIO

/// One statement per chunk of rows, each row's values as bind parameters:
/// `PREFIX VALUES ($1, $2), ($3, $4) SUFFIX`.
///
/// A commit of 1,000 resources is then a few round trips instead of thousands; chunks keep each
/// statement within the protocol's 65,535 parameters.
struct BatchedStatement {
    let prefix: String
    let suffix: String
    let columns: Int
    /// Rows of another table to delete in the same statement, found by the leading values of each
    /// row (the statement's first ``Clearing/keyColumns``.count columns): one round trip fewer.
    var clearing: Clearing?

    struct Clearing {
        let table: String
        let keyColumns: [String]
    }

    /// At most this many rows per statement: large enough that a big commit is a few statements,
    /// small enough that one statement stays a few megabytes.
    static let maximumRows = 1000

    /// Runs the statement for `rows`, `bind` appending each row's `columns` values in order.
    func run<Row>(_ rows: [Row], on session: SQLSession, bind: (inout PostgresBindings, Row) throws -> Void) async throws {
        let perStatement = min(Self.maximumRows, Int(UInt16.max) / self.columns)
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(rows.count, start + perStatement)]
            var binds = PostgresBindings(capacity: chunk.count * self.columns)
            var tuples: [String] = []
            var keys: [String] = []
            tuples.reserveCapacity(chunk.count)
            for row in chunk {
                let first = binds.count
                try bind(&binds, row)
                precondition(binds.count - first == self.columns, "a batched row binds exactly its columns")
                tuples.append("(" + (first + 1...first + self.columns).map { "$\($0)" }.joined(separator: ", ") + ")")
                if let clearing {
                    keys.append("(" + (first + 1...first + clearing.keyColumns.count).map { "$\($0)" }.joined(separator: ", ") + ")")
                }
            }
            // A data-modifying WITH runs to completion in the same statement; it touches another table.
            let lead = self.clearing.map { clearing in
                "WITH cleared AS (DELETE FROM \(clearing.table) WHERE (\(clearing.keyColumns.joined(separator: ", "))) IN (VALUES \(keys.joined(separator: ", ")))) "
            }
            try await session.execute((lead ?? "") + self.prefix + " VALUES " + tuples.joined(separator: ", ") + self.suffix, binds)
            start += perStatement
        }
    }
}
