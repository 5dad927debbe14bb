import DepotStore
import PostgresNIO

/// Brings a database to the latest schema, or leaves it as it was.
enum PostgresMigrator {
    /// The advisory lock every Depot takes before it reads or changes the schema: "depot" in ASCII.
    ///
    /// Transaction-level (`pg_advisory_xact_lock`), so the server releases it at commit, at
    /// rollback, and when a controller dies holding it.
    static let lockKey: Int64 = 0x64_6570_6F74

    /// Applies every pending migration in one transaction, under the advisory lock, so that of
    /// several controllers starting at once on one database exactly one migrates and the others
    /// wait and find it done.
    ///
    /// - Parameter database: the database's name for messages (its URL without the password).
    /// - Returns: the schema version found before migrating (0 for a new database).
    /// - Throws: ``StoreError`` when the database is newer than `migrations` or a migration
    ///   fails; either way nothing was changed.
    static func migrate(_ session: SQLSession, database: String, migrations: [PostgresMigration]) async throws -> Int {
        var failing: PostgresMigration?
        do {
            return try await session.transaction { session in
                try await session.execute("SELECT pg_advisory_xact_lock(\(Self.lockKey))")
                try await session.execute(
                    "CREATE TABLE IF NOT EXISTS depot_schema (version INTEGER NOT NULL, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
                let current = try await session.rows("SELECT COALESCE(MAX(version), 0) FROM depot_schema").first?.decode(Int.self) ?? 0
                let known = migrations.last?.version ?? 0
                guard current <= known else { throw StoreError.tooNew(path: database, found: current, known: known) }
                for migration in migrations where migration.version > current {
                    failing = migration
                    try await migration.apply(session)
                    var binds = PostgresBindings()
                    binds.append(migration.version)
                    binds.append(migration.name)
                    try await session.execute("INSERT INTO depot_schema (version, name) VALUES ($1, $2)", binds)
                }
                return current
            }
        } catch let error as StoreError {
            throw error
        } catch {
            guard let step = failing else {
                throw StoreError("Cannot read the schema version of the database \(database): \(PostgresFailure.describe(error)).")
            }
            throw StoreError.migrationFailed(path: database, version: step.version, name: step.name, underlying: MigrationFailure(error))
        }
    }
}

/// A migration's error as the administrator reads it inside ``StoreError/migrationFailed``.
private struct MigrationFailure: Error, CustomStringConvertible {
    let description: String

    init(_ error: any Error) { self.description = PostgresFailure.describe(error) }
}
