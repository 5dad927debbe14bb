import ArgumentParser
import DepotController
import Foundation

/// `depot-controller export-db FILE`: the configuration as one JSON file, as
/// `POST /v1/controller/database/export` writes it.
struct ExportDatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-db", abstract: "Export the database to a JSON file that import-db restores into either engine.")

    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("from"), help: "Export this database instead (sqlite:/PATH or postgresql://…).")
    var from: String?

    @Argument(help: "The file to write (mode 0600).")
    var file: String

    func run() async throws {
        try await runTool("export-db", failure: 1) {
            let location = try self.from.map { try DatabaseLocation(parsing: $0) } ?? self.database.location()
            let counts = try await DatabaseTools.export(location, to: self.file, depotVersion: DepotController.version)
            print("Exported the \(location) to \(self.file): \(Self.summary(counts)).")
            return 0
        }
    }

    static func summary(_ counts: [String: Int]) -> String {
        counts.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
    }
}

/// `depot-controller import-db FILE`: restores an export into a new database.
struct ImportDatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-db",
        abstract: "Restore an export into a new, empty database (the controller must be stopped).",
        discussion: "Checks the file's checksums first, copies kind by kind, then reads the database back and compares. Run it again to finish an interrupted import.")

    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("to"), help: "Restore into this database instead (sqlite:/PATH or postgresql://…).")
    var to: String?

    @Argument(help: "An export written by export-db or POST /v1/controller/database/export.")
    var file: String

    func run() async throws {
        try await runTool("import-db", failure: 1) {
            let location = try self.to.map { try DatabaseLocation(parsing: $0) } ?? self.database.location()
            let counts = try await DatabaseTools.importDatabase(from: self.file, into: location) { print("  \($0)") }
            print("Restored \(self.file) into the \(location) and verified it: \(ExportDatabaseCommand.summary(counts)).")
            return 0
        }
    }
}

/// `depot-controller migrate-db --to URL`: copies the database to another engine.
struct MigrateDatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate-db",
        abstract: "Copy the database into another one, e.g. from the embedded SQLite to PostgreSQL, and verify the copy.",
        discussion: """
            The controller must be stopped. Copies kind by kind, each in one transaction, then compares \
            counts, a checksum per kind and every object. Run it again to resume an interrupted copy. \
            Afterwards point the controller at the target ([db] connection_url).
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("from"), help: "The source (default the configured database): sqlite:/PATH or postgresql://…")
    var from: String?

    @Option(name: .customLong("to"), help: "The target, new and empty: sqlite:/PATH or postgresql://…")
    var to: String

    func run() async throws {
        try await runTool("migrate-db", failure: 1) {
            let source = try self.from.map { try DatabaseLocation(parsing: $0) } ?? self.database.location()
            let target = try DatabaseLocation(parsing: self.to)
            let counts = try await DatabaseTools.migrate(from: source, to: target) { print("  \($0)") }
            print("Copied the \(source) to the \(target) and verified it: \(ExportDatabaseCommand.summary(counts)).")
            return 0
        }
    }
}
