import ArgumentParser
import DepotController
import DepotLink
import Foundation
import Logging

/// `depot-controller`: flags override the TOML file, which overrides the defaults.
@main
struct ControllerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "depot-controller",
        abstract: "Depot's controller: cluster state in an embedded database, LINSTOR REST API v1.",
        version: DepotController.version)

    @Option(name: .customLong("data-dir"), help: "Directory of the database (default \(ControllerConfig.defaultDataDirectory)).")
    var dataDirectory: String?

    @Option(name: .customLong("rest-bind"), help: "ADDR:PORT to serve REST on (default all addresses, port 3370).")
    var restBind: String?

    @Option(
        name: .customLong("satellite-tls-certificate"),
        help: "PEM certificate (chain) the controller presents to satellites whose interface is SSL.")
    var satelliteTLSCertificate: String?

    @Option(name: .customLong("satellite-tls-key"), help: "PEM private key of --satellite-tls-certificate (unencrypted).")
    var satelliteTLSKey: String?

    @Option(name: .customLong("satellite-tls-ca"), help: "PEM CA certificate(s) that must have signed each SSL satellite's certificate.")
    var satelliteTLSCA: String?

    @Option(
        name: .customLong("config"),
        help: "TOML file with data_dir, rest_bind, log_level, satellite_tls_certificate, satellite_tls_key and satellite_tls_ca.")
    var configFile: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String?

    func run() async throws {
        var config = ControllerConfig()
        do {
            if let configFile { config = try ControllerConfig.load(tomlFile: configFile) }
            if let dataDirectory { config.dataDirectory = dataDirectory }
            if let restBind { config.restBind = try BindAddress(parsing: restBind) }
            if let satelliteTLSCertificate { config.satelliteTLSCertificate = satelliteTLSCertificate }
            if let satelliteTLSKey { config.satelliteTLSKey = satelliteTLSKey }
            if let satelliteTLSCA { config.satelliteTLSCA = satelliteTLSCA }
            // As LINSTOR's controller reads it; kept out of argv, where `ps` would show it.
            if let passphrase = ProcessInfo.processInfo.environment["MASTER_PASSPHRASE"], !passphrase.isEmpty {
                config.masterPassphrase = passphrase
            }
        } catch {
            FileHandle.standardError.write(Data("depot-controller: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if let logLevel { config.logLevel = logLevel }
        let level = Logger.Level(rawValue: config.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "depot.controller")
        do {
            try await DepotController(config: config, logger: logger).run()
        } catch {
            logger.critical("depot-controller cannot run: \(error)")
            throw ExitCode(1)
        }
    }
}
