import ArgumentParser
import DepotLink
import DepotModel
import DepotReports
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

    @Option(
        name: .customLong("bind"),
        help: "ADDR:PORT to listen on for the controller in plain TCP (default all addresses, port 3366). Unused with TLS, except its address.")
    var bind: String?

    @Option(
        name: .customLong("tls-bind"),
        help: "ADDR:PORT for mutual TLS, used instead of --bind when the TLS files are given (default the --bind address, port 3367).")
    var tlsBind: String?

    @Option(name: .customLong("tls-certificate"), help: "PEM certificate (chain) this satellite presents; turns on mutual TLS.")
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key of --tls-certificate (unencrypted).")
    var tlsKey: String?

    @Option(name: .customLong("tls-ca"), help: "PEM CA certificate(s) that must have signed the controller's certificate.")
    var tlsCA: String?

    @Option(name: .customLong("state-dir"), help: "Directory for the satellite's own bookkeeping (default /var/lib/depot-satellite).")
    var stateDirectory: String?

    @Option(name: .customLong("hostname"), help: "This node's name for DRBD (default: uname -n).")
    var hostname: String?

    @Option(
        name: .customLong("rest-token-file"),
        help: "Where the controller's REST token for this node's clients is written (default \(RESTTokenFile.defaultPath), which python-linstor reads).")
    var restTokenFile: String?

    @Option(name: .customLong("drbd-config-dir"), help: "Directory for DRBD .res files (default /var/lib/depot.d).")
    var drbdConfigDirectory: String?

    @Option(name: .customLong("drbdsetup"), help: "The drbdsetup to use, passed to drbdadm with -s (default: drbdsetup in PATH).")
    var drbdsetup: String?

    @Option(
        name: .customLong("drbd-system-include"),
        help: "File in /etc/drbd.d that includes the .res files for DRBD's helpers, or none (default /etc/drbd.d/depot-resources.res with the default config dir).")
    var drbdSystemInclude: String?

    @Option(
        name: .customLong("config"),
        help:
            "TOML file with bind, state_dir, hostname, log_level, rest_token_file, tls_certificate, tls_key, tls_ca, tls_bind, drbd_config_dir, drbdsetup and drbd_system_include.")
    var configFile: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String?

    func run() async throws {
        var settings = SatelliteSettings()
        var tls: LinkTLS?
        do {
            if let configFile { settings = try SatelliteSettings.load(tomlFile: configFile) }
            if let bind { try settings.setBind(bind) }
            if let stateDirectory { settings.stateDirectory = stateDirectory }
            if let hostname { settings.hostname = hostname }
            if let restTokenFile { settings.restTokenFile = restTokenFile }
            if let logLevel { settings.logLevel = logLevel }
            if let drbdConfigDirectory { settings.drbdConfigDirectory = drbdConfigDirectory }
            if let drbdsetup { settings.drbdsetup = drbdsetup }
            if let drbdSystemInclude { settings.drbdSystemInclude = drbdSystemInclude }
            if let tlsBind { try settings.setTLSBind(tlsBind) }
            if let tlsCertificate { settings.tlsCertificate = tlsCertificate }
            if let tlsKey { settings.tlsKey = tlsKey }
            if let tlsCA { settings.tlsCA = tlsCA }
            // Loaded before anything starts, so a bad PEM file stops the satellite with its name.
            if let files = try settings.tlsFiles() { tls = try LinkTLS(role: .satellite, files: files) }
        } catch {
            FileHandle.standardError.write(Data("depot-satellite: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let logLevel = RuntimeLogLevel(RuntimeLogLevel.parse(settings.logLevel) ?? .info)
        logLevel.bootstrap()
        let logger = Logger(label: "depot.satellite")
        do {
            try FileManager.default.createDirectory(atPath: settings.stateDirectory, withIntermediateDirectories: true)
            let runner = SubprocessCommandRunner()
            let hostname = settings.hostname ?? SatelliteSettings.unameNodeName()
            let probe = CapabilityProbe(runner: runner, drbdsetup: settings.drbdsetup)
            // Without a usable DRBD module there is no kernel state to read and nothing to configure.
            let capabilities = await probe.probe()
            let runsDRBD = capabilities.resourceLayers.contains(.drbd)
            let monitor = runsDRBD ? DRBDEventMonitor(runner: runner, drbdsetup: settings.drbdsetup, logger: logger) : nil
            let moduleVersion = runsDRBD ? capabilities.drbdModuleVersion : nil
            let drbd = monitor.map { monitor in
                DRBDLayer(
                    settings: DRBDSettings(
                        configDirectory: settings.drbdConfigDirectory, drbdsetup: settings.drbdsetup, hostname: hostname, moduleVersion: moduleVersion,
                        systemInclude: settings.effectiveDRBDSystemInclude),
                    runner: runner, monitor: monitor, stateDirectory: settings.stateDirectory, logger: logger)
            }
            if runsDRBD {
                logger.info("DRBD layer on", metadata: ["module": "\(moduleVersion ?? "?")", "configDirectory": "\(settings.drbdConfigDirectory)"])
            }
            // Only where cryptsetup and dm-crypt are there; elsewhere LUKS resources are refused whole.
            let luks =
                capabilities.resourceLayers.contains(.luks)
                ? LUKSLayer(runner: runner, stateDirectory: settings.stateDirectory, logger: logger) : nil
            let errorReports = ErrorReporter(
                directory: settings.errorReportDirectory, module: .satellite, nodeName: hostname, version: SatelliteVersion.current, logger: logger)
            let agent = SatelliteAgent(
                configuration: .init(
                    host: tls == nil ? settings.host : settings.tlsHost ?? settings.host, port: tls == nil ? settings.port : settings.tlsPort,
                    stateDirectory: settings.stateDirectory, hostname: hostname, version: SatelliteVersion.current, tls: tls,
                    restTokenFile: RESTTokenFile(path: settings.restTokenFile)),
                reconciler: Reconciler(
                    providers: StorageProviders(runner: runner), stateDirectory: settings.stateDirectory, drbd: drbd, luks: luks, logger: logger),
                probe: probe, drbdMonitor: monitor,
                failureReports: FailureReports(reporter: errorReports), logLevel: logLevel,
                sosInventory: SosInventory(runner: runner, reporter: errorReports, stateDirectory: settings.stateDirectory),
                physicalStorage: PhysicalStorage(runner: runner), logger: logger)
            let group = ServiceGroup(configuration: .init(services: [agent], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
            logger.info("depot-satellite stopped")
        } catch {
            logger.critical("depot-satellite cannot run: \(error)")
            throw ExitCode(1)
        }
    }
}
