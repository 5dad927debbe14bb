import DepotModel
import DepotStore
import DepotTestSupport
import Foundation
import PostgresNIO

@testable import DepotPostgres

/// One database of its own on the test server.
struct PostgresTestDatabase: TestDatabase {
    let url: PostgresURL
    let harness: PostgresHarness

    func open() async throws -> any ClusterStore {
        let store = try await PostgresStore.open(self.url, logger: PostgresTestServer.logger)
        self.harness.run(store)
        return store
    }

    func refuseWrites(of kind: any StoredObject.Type) async throws {
        let tables = PostgresLayouts.layout(for: kind).tables
        try await self.withSession { session in
            try await session.execute(
                "CREATE OR REPLACE FUNCTION depot_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$")
            for table in tables {
                try await session.execute(
                    "CREATE TRIGGER refuse_\(table) BEFORE INSERT OR UPDATE OR DELETE ON \(table) FOR EACH STATEMENT EXECUTE FUNCTION depot_test_refuse()")
            }
        }
    }

    func corrupt(_ kind: any StoredObject.Type, key: [String]) async throws -> Bool {
        let storage = kind.storage
        var binds = PostgresBindings()
        let sql: String
        switch kind {
        case is ControllerProperty.Type:
            return false
        case is Resource.Type:
            sql = "UPDATE resource_rows SET layers = 'STORAGE,QUANTUM' WHERE \(storage.keyCondition) RETURNING 1"
        default:
            sql = "UPDATE \(storage.table) SET data = $\(key.count + 1) WHERE \(storage.keyCondition) RETURNING 1"
        }
        for value in key { binds.append(value) }
        if sql.contains("SET data") { try binds.append(Data("{\"broken\": tru".utf8)) }
        return try await self.withSession { session in try await session.rows(sql, binds).count == 1 }
    }

    func destroy() {
        self.harness.drop(self.url.database)
    }

    /// Runs `body` on a connection of its own to this database.
    func withSession<Result: Sendable>(_ body: (SQLSession) async throws -> Result) async throws -> Result {
        try await Self.withSession(to: self.url, body)
    }

    /// Runs `body` on a connection of its own to `url` (plain TCP: the test server is local).
    static func withSession<Result: Sendable>(to url: PostgresURL, _ body: (SQLSession) async throws -> Result) async throws -> Result {
        let configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: PostgresTestServer.logger)
        do {
            let result = try await body(SQLSession(connection: connection, logger: PostgresTestServer.logger))
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
