import ArgumentParser
import DepotSatellite
import Foundation
import Logging
import ServiceLifecycle
import TOMLKit
import UnixSignals

/// `depot-satellite`: flags override the TOML file, which overrides the defaults.
@main
struct SatelliteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "depot-satellite",
        abstract: "Depot's node agent: makes this node's storage match what the controller asks.",
        version: SatelliteVersion.current)

    @Option(name: .customLong("bind"), help: "ADDR:PORT to listen on for the controller (default all addresses, port 3366).")
    var bind: String?

    @Option(name: .customLong("state-dir"), help: "Directory for the satellite's own bookkeeping (default /var/lib/depot-satellite).")
    var stateDirectory: String?

    @Option(name: .customLong("hostname"), help: "This node's name for DRBD (default: uname -n).")
    var hostname: String?

    @Option(name: .customLong("config"), help: "TOML file with bind, state_dir, hostname and log_level.")
    var configFile: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String?

    func run() async throws {
        var settings = SatelliteSettings()
        do {
            if let configFile { settings = try SatelliteSettings.load(tomlFile: configFile) }
            if let bind { try settings.setBind(bind) }
            if let stateDirectory { settings.stateDirectory = stateDirectory }
            if let hostname { settings.hostname = hostname }
            if let logLevel { settings.logLevel = logLevel }
        } catch {
            FileHandle.standardError.write(Data("depot-satellite: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let level = Logger.Level(rawValue: settings.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "depot.satellite")
        do {
            try FileManager.default.createDirectory(atPath: settings.stateDirectory, withIntermediateDirectories: true)
            let runner = SubprocessCommandRunner()
            let agent = SatelliteAgent(
                configuration: .init(
                    host: settings.host, port: settings.port, stateDirectory: settings.stateDirectory,
                    hostname: settings.hostname ?? SatelliteSettings.unameNodeName(), version: SatelliteVersion.current),
                reconciler: Reconciler(providers: StorageProviders(runner: runner), stateDirectory: settings.stateDirectory, logger: logger),
                probe: CapabilityProbe(runner: runner),
                logger: logger)
            let group = ServiceGroup(configuration: .init(services: [agent], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
            logger.info("depot-satellite stopped")
        } catch {
            logger.critical("depot-satellite cannot run: \(error)")
            throw ExitCode(1)
        }
    }
}
