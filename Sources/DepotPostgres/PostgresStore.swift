public import DepotStore
import Foundation
public import Logging
import NIOCore
import PostgresNIO
public import ServiceLifecycle
import Synchronization

/// The controller's state in an external PostgreSQL database, for installations that want one
/// (backups and replication by the database's own tools, several controllers on one database).
///
/// The same tables and layouts as the embedded SQLite database. Every commit is one transaction
/// and is acknowledged after the server's `COMMIT` returned: with PostgreSQL's default
/// `synchronous_commit = on`, it is then on disk.
///
/// Queries go through a `PostgresClient` (a connection pool), and a pool needs a task to run in:
/// ``run()`` is that task's body, and the owner runs it — in a task group, or as a service of a
/// `ServiceGroup` — for as long as it uses the store; cancelling it closes the connections.
/// ``withStore(_:logger:_:)`` does both for a caller that wants the store for one scope.
/// Opening connects once without the pool, so that a wrong address, password or certificate
/// fails at once with the server's reason instead of waiting for the pool's retries.
public final class PostgresStore: ClusterStore, Service {
    /// Where the database is; its description leaves the password out.
    public let url: PostgresURL
    private let client: PostgresClient
    private let isNew: Bool
    private let logger: Logger
    /// The lease commits are fenced with (``acquireLease(holder:restURL:duration:)``); nil while
    /// the store is used without one.
    let heldLease = Mutex<HeldLease?>(nil)

    /// How long opening waits for the server to accept a connection.
    static let connectTimeout = TimeAmount.seconds(5)
    /// The pool's connections: commits are serialised above the store (group commit), so two
    /// suffice for a commit beside a quarantine or a check; a few more cost the server little.
    static let maximumConnections = 4

    private init(url: PostgresURL, client: PostgresClient, isNew: Bool, logger: Logger) {
        self.url = url
        self.client = client
        self.isNew = isNew
        self.logger = logger
    }

    /// Connects to the database at `url` and applies pending migrations. The returned store
    /// serves queries once its ``run()`` runs.
    ///
    /// - Throws: ``StoreError`` naming the database (without the password) when the server cannot
    ///   be reached, refuses the login or the TLS handshake, the database is newer than this Depot,
    ///   or a migration fails (then nothing was changed).
    public static func open(_ url: PostgresURL, logger: Logger) async throws -> PostgresStore {
        try await Self.open(url, logger: logger, migrations: PostgresSchema.migrations)
    }

    static func open(_ url: PostgresURL, logger: Logger, migrations: [PostgresMigration]) async throws -> PostgresStore {
        let tls: PostgresTLS.Mode
        do {
            tls = try PostgresTLS.mode(for: url)
        } catch {
            throw StoreError("\(error)")
        }
        let connection = try await Self.connect(url, tls: tls, logger: logger)
        let found: Int
        do {
            found = try await PostgresMigrator.migrate(SQLSession(connection: connection, logger: logger), database: url.description, migrations: migrations)
        } catch {
            try? await connection.close()
            throw error
        }
        try? await connection.close()
        let client = PostgresClient(configuration: Self.clientConfiguration(url, tls: tls), backgroundLogger: logger)
        return PostgresStore(url: url, client: client, isNew: found == 0, logger: logger)
    }

    /// Opens the store, runs its pool while `body` runs, and closes it when `body` returns or throws.
    public static func withStore<Result: Sendable>(
        _ url: PostgresURL, logger: Logger, _ body: (PostgresStore) async throws -> Result
    ) async throws -> Result {
        let store = try await Self.open(url, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await store.run() }
            defer { group.cancelAll() }
            return try await body(store)
        }
    }

    /// Runs the connection pool until the task is cancelled or, in a `ServiceGroup`, until
    /// graceful shutdown. Call it once.
    public func run() async {
        await self.client.run()
    }

    /// The schema version of the database.
    public func schemaVersion() async throws -> Int {
        try await self.session(.read) { session in
            try await session.rows("SELECT COALESCE(MAX(version), 0) FROM depot_schema").first?.decode(Int.self) ?? 0
        }
    }

    /// Reads every kind in one REPEATABLE READ transaction: one consistent snapshot, even while
    /// another controller writes.
    public func load() async throws -> StoredCluster {
        let isNew = self.isNew
        return try await self.session(.read) { session in
            try await session.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") { session in
                var cluster = StoredCluster()
                cluster.isNewDatabase = isNew
                for kind in StoredKinds.all {
                    let loaded = try await PostgresLayouts.layout(for: kind).readAll(session)
                    cluster.set(loaded.objects, of: kind)
                    cluster.damaged += loaded.damaged
                }
                return cluster
            }
        }
    }

    /// One transaction, a few statements per kind (``BatchedStatement``). Applying changes in
    /// order equals applying each key's last change, since every change replaces or removes its
    /// whole row; so each kind gets one batched delete and one batched upsert.
    public func commit(_ changes: [StoreChange]) async throws {
        guard !changes.isEmpty else { return }
        let plan = CommitPlan(changes)
        try await self.session(.write) { session in
            try await session.transaction { session in
                try await self.checkFencing(on: session)
                for kind in plan.kinds {
                    try await PostgresLayouts.layout(for: kind.type).write(kind.objects, removing: kind.removals, on: session)
                }
            }
        }
    }

    public func quarantine(_ rows: [DamagedRow]) async throws {
        guard !rows.isEmpty else { return }
        try await self.session(.write) { session in
            try await session.transaction { session in
                try await self.checkFencing(on: session)
                for row in rows {
                    guard let layout = PostgresLayouts.layout(forTable: row.table) else {
                        throw StoreError("No kind is stored in table \(row.table).")
                    }
                    guard let content = try await layout.content(of: row.key, on: session) else { continue }
                    var binds = PostgresBindings()
                    binds.append(row.table)
                    binds.append(try QuarantineKey.encode(row.key))
                    binds.append(row.reason)
                    binds.append(content)
                    try await session.execute("INSERT INTO quarantined_rows (table_name, row_key, reason, content) VALUES ($1, $2, $3, $4)", binds)
                    try await layout.write([], removing: [row.key], on: session)
                }
            }
        }
    }

    public func quarantined() async throws -> [QuarantinedRow] {
        try await self.session(.read) { session in
            let rows = try await session.rows(
                """
                SELECT table_name, row_key, reason, content, to_char(quarantined_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                FROM quarantined_rows ORDER BY id
                """)
            return try rows.map { row in
                let (table, key, reason, content, at) = try row.decode((String, String, String, String, String).self)
                return QuarantinedRow(row: DamagedRow(table: table, key: try QuarantineKey.decode(key), reason: reason), content: content, quarantinedAt: at)
            }
        }
    }

    /// Runs `body` on a pooled connection; a failure becomes a ``StoreError`` that names the
    /// database and says whether the change was written (it was not: the transaction rolled back).
    func session<Result: Sendable>(_ access: Access, _ body: @escaping @Sendable (SQLSession) async throws -> Result) async throws -> Result {
        let wait = ConnectionWait()
        do {
            return try await withThrowingTaskGroup(of: Result?.self) { group in
                group.addTask {
                    try await self.client.withConnection { connection in
                        // A connection that comes after the deadline is not used: the caller was
                        // already told that nothing was written.
                        guard wait.claim(.acquired) else { throw NoConnection(wait: Self.connectionWait) }
                        return try await body(SQLSession(connection: connection, logger: self.logger))
                    }
                }
                // The pool retries a lost server for a minute; a caller (a REST request, the
                // lease's renewal) learns within seconds instead.
                group.addTask {
                    try await Task.sleep(for: Self.connectionWait)
                    guard wait.claim(.expired) else { return nil }
                    throw NoConnection(wait: Self.connectionWait)
                }
                while let next = try await group.next() {
                    guard let result = next else { continue }
                    group.cancelAll()
                    return result
                }
                throw CancellationError()
            }
        } catch let error as StoreError {
            throw error
        } catch {
            let outcome = access == .write ? " Nothing of this change was written." : ""
            throw StoreError("Cannot \(access.rawValue) the database \(self.url): \(PostgresFailure.describe(error)).\(outcome)")
        }
    }

    enum Access: String {
        case read, write
    }

    /// How long a call waits for a connection from the pool before it fails.
    static let connectionWait: Duration = .seconds(5)

    /// No connection could be had within ``connectionWait``: the server is gone or refuses.
    struct NoConnection: Error, CustomStringConvertible {
        let wait: Duration

        var description: String { "no connection to the server within \(self.wait) (it stopped, or refuses new connections)" }
    }

    /// Which came first, the pool's connection or the deadline; the other one then gives way.
    final class ConnectionWait: Sendable {
        enum Outcome {
            case acquired, expired
        }

        private let outcome = Mutex<Outcome?>(nil)

        /// True when `outcome` came first.
        func claim(_ outcome: Outcome) -> Bool {
            self.outcome.withLock { current in
                guard current == nil else { return current == outcome }
                current = outcome
                return true
            }
        }
    }

    private static func connect(_ url: PostgresURL, tls: PostgresTLS.Mode, logger: Logger) async throws -> PostgresConnection {
        var configuration: PostgresConnection.Configuration
        do {
            let connectionTLS: PostgresConnection.Configuration.TLS
            switch tls {
            case .disable: connectionTLS = .disable
            case .prefer(let settings): connectionTLS = .prefer(try NIOSSLContext(configuration: settings))
            case .require(let settings): connectionTLS = .require(try NIOSSLContext(configuration: settings))
            }
            if let socket = url.socketPath {
                configuration = PostgresConnection.Configuration(unixSocketPath: socket, username: url.user, password: url.password, database: url.database)
            } else {
                configuration = PostgresConnection.Configuration(
                    host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: connectionTLS)
            }
        } catch {
            throw StoreError("Cannot set up TLS for the database \(url): \(error).")
        }
        configuration.options.connectTimeout = Self.connectTimeout
        do {
            return try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        } catch {
            throw StoreError(
                "Cannot connect to the database \(url): \(PostgresFailure.describe(error)). "
                    + "Check that the server runs and accepts connections there (TCP, or its socket directory), and the user, password, database and sslmode.")
        }
    }

    private static func clientConfiguration(_ url: PostgresURL, tls: PostgresTLS.Mode) -> PostgresClient.Configuration {
        let clientTLS: PostgresClient.Configuration.TLS
        switch tls {
        case .disable: clientTLS = .disable
        case .prefer(let settings): clientTLS = .prefer(settings)
        case .require(let settings): clientTLS = .require(settings)
        }
        var configuration =
            url.socketPath.map { PostgresClient.Configuration(unixSocketPath: $0, username: url.user, password: url.password, database: url.database) }
            ?? PostgresClient.Configuration(host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: clientTLS)
        configuration.options.connectTimeout = .seconds(Int64(Self.connectTimeout.nanoseconds / 1_000_000_000))
        configuration.options.maximumConnections = Self.maximumConnections
        return configuration
    }
}
