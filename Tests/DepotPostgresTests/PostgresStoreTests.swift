import DepotModel
import DepotStore
import Foundation
import PostgresNIO
import Testing

@testable import DepotPostgres

/// What only the PostgreSQL backend does: its schema history under the advisory lock, the newer
/// database it refuses, batched commits, TLS and connection failures. Round trips, atomic batches,
/// migrations with data and damaged rows are in ``PostgresConformanceTests``.
@Suite(.enabled(if: PostgresTestServer.isWanted, "DEPOT_TEST_POSTGRES=skip"))
struct PostgresStoreTests {
    @Test func createsTheLatestSchema() async throws {
        try await PostgresHarness.withHarness { harness in
            let database = try await harness.makeDatabase() as? PostgresTestDatabase
            let url = try #require(database?.url)
            defer { database?.destroy() }
            let version = try await PostgresStore.withStore(url, logger: PostgresTestServer.logger) { store in try await store.schemaVersion() }
            #expect(version == PostgresSchema.latestVersion)
        }
    }

    @Test func failingMigrationLeavesTheDatabaseIntact() async throws {
        try await PostgresHarness.withHarness { harness in
            let group = ResourceGroup(name: "kept", uuid: "k")
            let (made, _) = try await harness.makeDatabase(atSchema: 1, holding: [group])
            let database = try #require(made as? PostgresTestDatabase)
            defer { database.destroy() }
            let password = try #require(database.url.password)
            let latest = PostgresSchema.latestVersion
            let broken =
                PostgresSchema.migrations + [
                    PostgresMigration(version: latest + 1, name: "adds a table", statements: ["CREATE TABLE extra (x INTEGER)"]),
                    PostgresMigration(version: latest + 2, name: "fails", statements: ["ALTER TABLE no_such_table ADD COLUMN y INTEGER"]),
                ]
            await #expect {
                _ = try await PostgresStore.open(database.url, logger: PostgresTestServer.logger, migrations: broken)
            } throws: { error in
                let text = String(describing: error)
                return text.contains("migration \(latest + 2) (fails)") && text.contains("no_such_table") && text.contains("unchanged")
                    && text.contains(database.url.description) && !text.contains(password)
            }
            let untouched = try await database.withSession { session in
                (
                    try await session.rows("SELECT MAX(version) FROM depot_schema").first?.decode(Int.self),
                    try await session.tableExists("extra"), try await session.tableExists("resources")
                )
            }
            #expect(untouched.0 == 1)
            #expect(!untouched.1)
            #expect(untouched.2)
            let store = try await PostgresStore.open(database.url, logger: PostgresTestServer.logger)
            harness.run(store)
            #expect(try await store.schemaVersion() == latest)
            #expect(try await store.load()[ResourceGroup.self] == [group])
        }
    }

    @Test func refusesADatabaseFromANewerDepot() async throws {
        try await PostgresHarness.withHarness { harness in
            let database = try #require(try await harness.makeDatabase() as? PostgresTestDatabase)
            defer { database.destroy() }
            let password = try #require(database.url.password)
            _ = try await database.open()
            try await database.withSession { session in try await session.execute("INSERT INTO depot_schema (version, name) VALUES (99, 'future')") }
            await #expect {
                _ = try await database.open()
            } throws: { error in
                let text = String(describing: error)
                return text.contains("schema version 99") && text.contains("newer Depot") && !text.contains(password)
            }
        }
    }

    /// Several controllers starting at once on a new database: exactly one migrates (and seeds),
    /// the others wait on the advisory lock and find the schema done.
    @Test func concurrentOpensMigrateOnce() async throws {
        try await PostgresHarness.withHarness { harness in
            let database = try #require(try await harness.makeDatabase() as? PostgresTestDatabase)
            defer { database.destroy() }
            let newFlags = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await database.open().load().isNewDatabase }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(newFlags.filter { $0 }.count == 1, "one controller found a new database: \(newFlags)")
            let versions = try await database.withSession { session in
                try await session.rows("SELECT version FROM depot_schema ORDER BY version").map { try $0.decode(Int.self) }
            }
            #expect(versions == PostgresSchema.migrations.map(\.version), "each migration ran once")
        }
    }

    /// An open waits while another controller holds the migration lock, and migrates after.
    @Test func migrationWaitsForTheAdvisoryLock() async throws {
        try await PostgresHarness.withHarness { harness in
            let database = try #require(try await harness.makeDatabase() as? PostgresTestDatabase)
            defer { database.destroy() }
            try await database.withSession { holder in
                try await holder.execute("BEGIN")
                try await holder.execute("SELECT pg_advisory_xact_lock(\(PostgresMigrator.lockKey))")
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { _ = try await database.open() }
                    // Advisory locks are per database; other tests take this key in theirs.
                    let waitingQuery = """
                        SELECT count(*)::bigint FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
                        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                        """
                    var waiting = 0
                    let deadline = ContinuousClock.now + .seconds(60)
                    while waiting == 0 && ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(100))
                        waiting = try await holder.rows(waitingQuery).first?.decode(Int.self) ?? 0
                    }
                    #expect(waiting == 1, "the open waits on the lock")
                    try await Task.sleep(for: .milliseconds(500))
                    let started = try await database.withSession { session in try await session.tableExists("depot_schema") }
                    #expect(!started, "no schema is touched while another holds the lock")
                    try await holder.execute("COMMIT")
                    try await group.waitForAll()
                }
            }
            let store = try await database.open() as? PostgresStore
            #expect(try await store?.schemaVersion() == PostgresSchema.latestVersion)
        }
    }

    /// 1,000 resources with two volumes each in one commit: a handful of statements, not one or
    /// more per row (counted by the test server's pg_stat_statements).
    @Test func aThousandResourcesAreAFewStatements() async throws {
        try await PostgresHarness.withHarness { harness in
            let database = try #require(try await harness.makeDatabase() as? PostgresTestDatabase)
            defer { database.destroy() }
            let store = try #require(try await database.open() as? PostgresStore)
            let resources = (0..<1000).map { index in
                var resource = Resource(
                    resourceName: "res\(index)", nodeName: "node\(index % 7)", props: ["Aux/index": "\(index)"], flags: [], layerStack: [.drbd, .storage],
                    createTimestamp: 1_700_000_000_000 + Int64(index), uuid: "uuid-\(index)")
                resource.drbd = DRBDResourceData(nodeID: index % 3, tcpPorts: [7000 + index], peerSlots: 7, alStripes: 1, alSizeKiB: 32)
                for number in 0..<2 {
                    resource.volumes[number] = Volume(number: number, storagePoolName: "pool", uuid: "v\(index)-\(number)")
                }
                return resource
            }
            let before = try await Self.statementCount(database)
            let started = ContinuousClock.now
            try await store.commit(resources.map { .put($0) })
            let elapsed = ContinuousClock.now - started
            let statements = try await Self.statementCount(database) - before
            #expect(statements <= 10, "a 1,000-resource commit took \(statements) statements")
            #expect(elapsed < .seconds(10), "a 1,000-resource commit took \(elapsed)")
            let loaded = try await store.load()[Resource.self]
            #expect(loaded.count == 1000)
            #expect(Set(loaded.map(\.uuid)) == Set(resources.map(\.uuid)))
            #expect(loaded.first { $0.uuid == "uuid-42" } == resources[42])
        }
    }

    @Test func encryptsWithSSLModeRequire() async throws {
        try await PostgresHarness.withHarness { harness in
            let database = try #require(try await harness.makeDatabase() as? PostgresTestDatabase)
            defer { database.destroy() }
            var url = database.url
            url.sslMode = .require
            let group = ResourceGroup(name: "tls", uuid: "t")
            try await PostgresStore.withStore(url, logger: PostgresTestServer.logger) { store in
                try await store.commit([.put(group)])
                #expect(try await store.load()[ResourceGroup.self] == [group])
                let encrypted = try await database.withSession { session in
                    var binds = PostgresBindings()
                    binds.append(url.database)
                    return try await session.rows(
                        """
                        SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a ON a.pid = s.pid
                        WHERE a.datname = $1 AND a.pid <> pg_backend_pid()
                        """, binds
                    ).map { try $0.decode(Bool.self) }
                }
                #expect(!encrypted.isEmpty && encrypted.allSatisfy { $0 }, "the store's connections are TLS: \(encrypted)")
            }
        }
    }

    /// The test server's certificate is self-signed: full verification against the system's
    /// authorities must refuse it, and say why.
    @Test func verifyFullRefusesAnUntrustedCertificate() async throws {
        var url = try PostgresTestServer.url()
        url.host = "localhost"
        url.sslMode = .verifyFull
        await #expect {
            _ = try await PostgresStore.open(url, logger: PostgresTestServer.logger)
        } throws: { error in
            let text = String(describing: error)
            return text.contains("Cannot connect to the database \(url)") && text.lowercased().contains("certificate")
                && !text.contains(url.password ?? "\u{0}")
        }
    }

    @Test func namesAMissingRootCertificate() async throws {
        var url = try PostgresTestServer.url()
        url.sslMode = .verifyCA
        url.sslRootCertificate = "/nonexistent/depot-ca.pem"
        await #expect {
            _ = try await PostgresStore.open(url, logger: PostgresTestServer.logger)
        } throws: { String(describing: $0).contains("sslrootcert=/nonexistent/depot-ca.pem") }
    }

    @Test func aWrongPasswordSaysSoWithoutShowingIt() async throws {
        var url = try PostgresTestServer.url()
        url.password = "not-the-password-\(UUID().uuidString)"
        await #expect {
            _ = try await PostgresStore.open(url, logger: PostgresTestServer.logger)
        } throws: { error in
            let text = String(describing: error)
            return text.contains("password authentication failed") && !text.contains(url.password ?? "\u{0}")
        }
    }

    @Test func anUnreachableServerFailsAtOnce() async throws {
        let url = PostgresURL(user: "depot", password: "secret-pw", host: "127.0.0.1", port: 1, database: "depot", sslMode: .disable)
        let started = ContinuousClock.now
        await #expect {
            _ = try await PostgresStore.open(url, logger: PostgresTestServer.logger)
        } throws: { error in
            let text = String(describing: error)
            return text.contains("Cannot connect to the database postgresql://depot@127.0.0.1:1/depot") && !text.contains("secret-pw")
        }
        // Refused at once; the bound is loose for a loaded machine, and far below the 60 s a
        // connection pool would keep retrying before it gave up.
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    /// Every statement the server ran in `database`, as pg_stat_statements counts them.
    private static func statementCount(_ database: PostgresTestDatabase) async throws -> Int {
        try await database.withSession { session in
            try await session.rows(
                "SELECT COALESCE(sum(calls), 0)::bigint FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
            ).first?.decode(Int.self) ?? 0
        }
    }
}
