import DepotPostgres
import Foundation
import Testing

@testable import DepotController

/// `[db]` as LINSTOR's section and `--db-url`: which engine the controller opens, and what a
/// wrong setting says.
@Suite struct StoreSelectionTests {
    private func load(_ toml: String) throws -> ControllerConfig {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("depot-db-\(UUID().uuidString).toml").path
        try toml.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try ControllerConfig.load(tomlFile: path)
    }

    @Test func withoutAURLTheEmbeddedDatabaseStaysInTheDataDirectory() throws {
        let selection = try StoreSelection(config: ControllerConfig(dataDirectory: "/var/lib/depot"))
        #expect(selection.description == "SQLite /var/lib/depot/depot.sqlite")
    }

    @Test func linstorsSectionWithUserAndPasswordBesideTheURL() throws {
        let config = try self.load(
            """
            [db]
            user = "linstor"
            password = "hunter2"
            connection_url = "jdbc:postgresql://db.example.com/linstor?sslmode=require"
            """)
        guard case .postgres(let url) = try StoreSelection(config: config) else {
            Issue.record("a connection_url selects PostgreSQL")
            return
        }
        #expect(url.user == "linstor" && url.password == "hunter2" && url.host == "db.example.com" && url.database == "linstor")
        #expect(try StoreSelection(config: config).description == "PostgreSQL postgresql://linstor@db.example.com:5432/linstor?sslmode=require")
    }

    @Test func aBadURLSaysWhatIsWrongWithoutThePassword() throws {
        var config = ControllerConfig()
        config.database.connectionURL = "postgresql://depot:hunter2@db.example.com:70000/depot"
        #expect {
            try StoreSelection(config: config)
        } throws: { error in
            let text = String(describing: error)
            return text.contains("port is not a number") && text.contains("--db-url") && !text.contains("hunter2")
        }
    }

    @Test func unknownKeysInTheSectionAreRefused() throws {
        #expect {
            try self.load("[db]\nconnection_url = \"postgresql://a@b/c\"\nca_certificate = \"/etc/ca.pem\"\n")
        } throws: { String(describing: $0).contains("Unknown key 'ca_certificate' in [db]") }
    }
}
