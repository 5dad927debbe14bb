import Logging
import PostgresNIO

/// One connection with the logger its statements go to: what layouts and migrations run SQL on.
struct SQLSession: Sendable {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs one statement whose rows, if any, are not needed.
    func execute(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) async throws {
        try await self.connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: self.logger)
    }

    /// Runs one statement and returns its rows.
    func rows(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) async throws -> [PostgresRow] {
        try await self.connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: self.logger).collect()
    }

    /// Runs `body` in one transaction opened with `begin`: committed when it returns, rolled back
    /// when it throws.
    ///
    /// A connection whose rollback failed is closed, so that the pool never lends out a
    /// connection still inside a failed transaction.
    func transaction<Result: Sendable>(_ begin: String = "BEGIN", _ body: (SQLSession) async throws -> Result) async throws -> Result {
        try await self.execute(begin)
        let result: Result
        do {
            result = try await body(self)
        } catch {
            do {
                try await self.execute("ROLLBACK")
            } catch {
                try? await self.connection.close()
            }
            throw error
        }
        try await self.execute("COMMIT")
        return result
    }

    /// Whether `table` exists in the database's search path.
    func tableExists(_ table: String) async throws -> Bool {
        var binds = PostgresBindings()
        binds.append(table)
        return try await self.rows("SELECT to_regclass($1) IS NOT NULL", binds).first?.decode(Bool.self) ?? false
    }
}
