import ArgumentParser
import DepotController

/// `depot-controller`: serving is the default; the database maintenance commands run beside it
/// on a stopped controller's database.
@main
struct ControllerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "depot-controller",
        abstract: "Depot's controller: cluster state in an embedded database or PostgreSQL, LINSTOR REST API v1.",
        version: DepotController.version,
        subcommands: [RunCommand.self, CheckCommand.self, ExportDatabaseCommand.self, ImportDatabaseCommand.self, MigrateDatabaseCommand.self],
        defaultSubcommand: RunCommand.self)
}
