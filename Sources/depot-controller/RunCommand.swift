import ArgumentParser
import DepotController
import DepotLink
import DepotReports
import Foundation
import Logging

/// `depot-controller [run]`: serves until stopped. Flags override the TOML file, which overrides
/// the defaults.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Serve the LINSTOR REST API and drive the satellites (the default).")

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

    @Option(name: .customLong("https-certificate"), help: "PEM certificate (chain) for HTTPS on the REST API ([https] certificate).")
    var httpsCertificate: String?

    @Option(name: .customLong("https-key"), help: "PEM private key of --https-certificate, unencrypted ([https] key).")
    var httpsKey: String?

    @Option(name: .customLong("https-ca"), help: "PEM CA certificate(s); HTTPS clients must present a certificate it signed ([https] ca).")
    var httpsCA: String?

    @Option(name: .customLong("https-bind"), help: "ADDR:PORT for HTTPS (default the REST address, port 3371).")
    var httpsBind: String?

    @Option(
        name: .customLong("db-url"),
        help: "postgresql://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=... to keep the state in PostgreSQL ([db] connection_url).")
    var databaseURL: String?

    @Option(
        name: .customLong("config"),
        help: "TOML file with data_dir, rest_bind, log_level, satellite_tls_certificate, satellite_tls_key, satellite_tls_ca, [encrypt], [https] and [db].")
    var configFile: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String?

    @Option(
        name: .customLong("advertise-url"),
        help: "With a shared database: the REST URL standbys redirect clients to ([db] advertise_url; default from --rest-bind).")
    var advertiseURL: String?

    @Option(
        name: .customLong("lease-seconds"),
        help: "With a shared database: how long the active controller's lease lasts without renewal ([db] lease_seconds; default 3).")
    var leaseSeconds: Double?

    func run() async throws {
        var config = ControllerConfig()
        do {
            if let configFile { config = try ControllerConfig.load(tomlFile: configFile) }
            if let dataDirectory { config.dataDirectory = dataDirectory }
            if let restBind { config.restBind = try BindAddress(parsing: restBind) }
            if let databaseURL { config.database.connectionURL = databaseURL }
            if let satelliteTLSCertificate { config.satelliteTLSCertificate = satelliteTLSCertificate }
            if let satelliteTLSKey { config.satelliteTLSKey = satelliteTLSKey }
            if let satelliteTLSCA { config.satelliteTLSCA = satelliteTLSCA }
            if let httpsCertificate { config.https.certificate = httpsCertificate }
            if let httpsKey { config.https.key = httpsKey }
            if let httpsCA { config.https.certificateAuthority = httpsCA }
            if let advertiseURL { config.advertiseURL = advertiseURL }
            if let leaseSeconds { config.leaseDuration = try DatabaseSettings.leaseDuration(seconds: leaseSeconds, from: "--lease-seconds") }
            if let httpsBind {
                let bind = try BindAddress(parsing: httpsBind)
                config.https.listenAddress = bind.host
                config.https.port = bind.port
            }
            // As LINSTOR's controller reads it; kept out of argv, where `ps` would show it.
            if let passphrase = ProcessInfo.processInfo.environment["MASTER_PASSPHRASE"], !passphrase.isEmpty {
                config.masterPassphrase = passphrase
            }
        } catch {
            FileHandle.standardError.write(Data("depot-controller: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if let logLevel { config.logLevel = logLevel }
        let logLevel = RuntimeLogLevel(RuntimeLogLevel.parse(config.logLevel) ?? .info)
        logLevel.bootstrap()
        let logger = Logger(label: "depot.controller")
        do {
            try await DepotController(config: config, logger: logger, logLevel: logLevel).run()
        } catch {
            logger.critical("depot-controller cannot run: \(error)")
            throw ExitCode(1)
        }
    }
}
