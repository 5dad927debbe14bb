import ArgumentParser
import DepotController
import Foundation

/// Where the maintenance commands find the controller's database: the same `--config` and
/// `--data-dir` the controller takes.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: "The controller's TOML file, to find its database.")
    var configFile: String?

    @Option(name: .customLong("data-dir"), help: "The controller's data directory (default \(ControllerConfig.defaultDataDirectory)).")
    var dataDirectory: String?

    @Option(name: .customLong("db-url"), help: "The controller's PostgreSQL database, as its --db-url.")
    var databaseURL: String?

    /// The configured database.
    func location() throws -> DatabaseLocation {
        var config = ControllerConfig()
        if let configFile { config = try ControllerConfig.load(tomlFile: configFile) }
        if let dataDirectory { config.dataDirectory = dataDirectory }
        if let databaseURL { config.database.connectionURL = databaseURL }
        return try DatabaseLocation(config: config)
    }
}

/// Runs a maintenance command's body: its errors print as one line and exit with `failure`.
func runTool(_ name: String, failure: Int32 = 8, _ body: () async throws -> Int32) async throws {
    let status: Int32
    do {
        status = try await body()
    } catch let error as ExitCode {
        throw error
    } catch {
        FileHandle.standardError.write(Data("depot-controller \(name): \(error)\n".utf8))
        throw ExitCode(failure)
    }
    if status != 0 { throw ExitCode(status) }
}
