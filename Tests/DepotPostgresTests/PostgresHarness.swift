import DepotModel
import DepotStore
import DepotTestSupport
import Foundation
import Logging
import PostgresNIO
import Synchronization

@testable import DepotPostgres

/// The PostgreSQL backend for the conformance suite: a database per test on the test server
/// (`CREATE DATABASE depot_test_<uuid>`), earlier schemas made by running only their
/// migrations, refused writes made with a trigger, corruption by overwriting a row.
///
/// A store's connection pool must run in a task its owner controls; the harness owns one task
/// group for the whole check (``withHarness(_:)``), runs every store a check opens in it, drops the
/// databases the check destroys, and stops everything when the check ends.
struct PostgresHarness: StoreHarness {
    let server: PostgresURL
    private let jobs: AsyncStream<Job>.Continuation

    /// What the harness's task group does for a check.
    enum Job {
        case run(PostgresStore)
        case drop(String)
    }

    /// Runs `body` with a harness whose stores and databases live as long as the call.
    static func withHarness(_ body: (PostgresHarness) async throws -> Void) async throws {
        let server = try PostgresTestServer.url()
        let (jobs, continuation) = AsyncStream.makeStream(of: Job.self)
        let admin = PostgresClient(configuration: Self.configuration(server), backgroundLogger: PostgresTestServer.logger)
        try await withThrowingTaskGroup(of: Void.self) { outer in
            outer.addTask { await admin.run() }
            defer { outer.cancelAll() }
            try await withThrowingTaskGroup(of: Void.self) { inner in
                inner.addTask {
                    await withDiscardingTaskGroup { stores in
                        for await job in jobs {
                            switch job {
                            case .run(let store): stores.addTask { await store.run() }
                            case .drop(let name): _ = try? await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
                            }
                        }
                        stores.cancelAll()
                    }
                }
                defer { continuation.finish() }
                try await body(PostgresHarness(server: server, jobs: continuation))
            }
        }
    }

    func makeDatabase() async throws -> any TestDatabase {
        try await self.createDatabase()
    }

    var earlierSchemaVersions: [Int] { PostgresSchema.migrations.dropLast().map(\.version) }

    var storesEncodedRows: Bool { true }

    func makeDatabase(atSchema version: Int, holding objects: [any StoredObject]) async throws
        -> (database: any TestDatabase, held: [any StoredObject])
    {
        let database = try await self.createDatabase()
        self.run(
            try await PostgresStore.open(database.url, logger: PostgresTestServer.logger, migrations: PostgresSchema.migrations.filter { $0.version <= version }))
        let held = try await database.withSession { session in
            var held: [any StoredObject] = []
            for object in objects where try await Self.write(object, asOfSchema: version, on: session) { held.append(object) }
            return held
        }
        return (database, held)
    }

    /// Keeps `store`'s pool running until the check ends.
    func run(_ store: PostgresStore) {
        self.jobs.yield(.run(store))
    }

    /// Drops the database `name` (and any connection still on it) in the harness's task group.
    func drop(_ name: String) {
        self.jobs.yield(.drop(name))
    }

    private func createDatabase() async throws -> PostgresTestDatabase {
        let name = "depot_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await PostgresTestDatabase.withSession(to: self.server) { session in try await session.execute("CREATE DATABASE \(name)") }
        var url = self.server
        url.database = name
        return PostgresTestDatabase(url: url, harness: self)
    }

    /// Writes `object` the way schema `version` stored it; false when that schema had no place for it.
    private static func write(_ object: any StoredObject, asOfSchema version: Int, on session: SQLSession) async throws -> Bool {
        if version == 1, let resource = object as? Resource {
            var binds = PostgresBindings()
            binds.append(resource.key.resource.rawValue)
            binds.append(resource.key.node.rawValue)
            try binds.append(JSONEncoder().encode(resource))
            try await session.execute("INSERT INTO resources (resource_key, node_key, data) VALUES ($1, $2, $3)", binds)
            return true
        }
        let layout = PostgresLayouts.layout(for: type(of: object))
        for table in layout.tables where try await !session.tableExists(table) { return false }
        try await layout.write([object], removing: [], on: session)
        return true
    }

    static func configuration(_ url: PostgresURL) -> PostgresClient.Configuration {
        PostgresClient.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: .disable)
    }
}
