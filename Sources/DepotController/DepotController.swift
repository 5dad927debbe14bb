import DepotLink
public import DepotReports
import DepotStore
import DepotWire
import Foundation
import Hummingbird
import HummingbirdTLS
public import Logging
import Metrics
import NIOSSL
import Prometheus
import ServiceLifecycle
import UnixSignals

/// The controller daemon: opens the data directory and database (``StoreSelection``), then serves REST until SIGTERM/SIGINT.
public struct DepotController: Sendable {
    public static let version = "0.1.0"
    /// The LINSTOR REST API level Depot implements; python-linstor unlocks features by it.
    public static let restAPIVersion = "1.28.0"

    public let config: ControllerConfig
    let logger: Logger
    /// The process's log level, which `controller set-log-level` changes.
    let logLevel: RuntimeLogLevel

    public init(config: ControllerConfig, logger: Logger, logLevel: RuntimeLogLevel) {
        self.config = config
        self.logger = logger
        self.logLevel = logLevel
    }

    /// Runs until a shutdown signal; returns after a clean shutdown.
    ///
    /// - Parameter onServerRunning: called with the bound port once REST accepts connections.
    public func run(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let started = ContinuousClock.now
        let lock = try DataDirectoryLock(directory: self.config.dataDirectory)
        let satelliteTLS = try self.config.satelliteTLS()
        let restTLS = try self.config.restTLS()
        if let satelliteTLS {
            self.logger.info(
                "mutual TLS ready for SSL satellites",
                metadata: ["certificate": "\(satelliteTLS.files.certificate)", "common-name": "\(satelliteTLS.commonName)", "ca": "\(satelliteTLS.files.certificateAuthority)"])
        }
        let (store, pool) = try await StoreSelection(config: self.config).open(logger: self.logger)
        // One signal handler for the process's whole life: standing by and serving are groups
        // nested in this one, so a SIGTERM between the two is never lost. The database's pool
        // (PostgreSQL) stops last, after the lease was handed over.
        let lifetime = ControllerLifetime {
            try await self.serve(store: store, started: started, satelliteTLS: satelliteTLS, restTLS: restTLS, onServerRunning: onServerRunning)
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = pool.map { [.init(service: $0)] } ?? []
        services.append(.init(service: lifetime, successTerminationBehavior: .gracefullyShutdownGroup))
        try await ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: self.logger)).run()
        withExtendedLifetime(lock) {}
        self.logger.info("depot-controller stopped")
    }

    /// Loads the cluster from `store` and serves until a shutdown signal.
    private func serve(
        store: any ClusterStore, started: ContinuousClock.Instant, satelliteTLS: LinkTLS?, restTLS: TLSConfiguration?,
        onServerRunning: @escaping @Sendable (Int) async -> Void
    ) async throws {
        // On a database several controllers share, only the lease holder goes on; the others stand by.
        var election: (ControllerElection, ControllerLease)?
        if let shared = store as? any LeaseStore {
            guard let won = try await self.standBy(shared) else { return }
            election = won
        }
        let table = SatelliteLinkTable()
        let errorReports = ErrorReporter(
            directory: self.config.effectiveErrorReportDirectory, module: .controller, nodeName: Self.hostname(), version: Self.version, logger: self.logger)
        let state = try await ClusterState(store: store, logger: self.logger, satellites: table, errorReports: errorReports)
        if let passphrase = self.config.masterPassphrase {
            try await state.applyConfiguredPassphrase(passphrase)
            self.logger.info("master key opened with the configured passphrase")
        }
        let links = SatelliteLinks(
            table: table, publisher: state.publisher, logger: self.logger, tls: satelliteTLS, fencingToken: election?.1.fencingToken)
        let model = state.publisher.snapshot.model
        self.logger.info(
            "cluster state loaded",
            metadata: [
                "nodes": "\(model.nodes.count)", "resource-definitions": "\(model.resourceDefinitions.count)",
                "resources": "\(model.resources.count)", "elapsed": "\(ContinuousClock.now - started)",
            ])
        // swift-metrics' global backend: REST latency (Hummingbird's MetricsMiddleware) and the
        // controller's timers land in this registry, which `/metrics` appends to LINSTOR's gauges.
        let metrics = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: metrics)
        // Applies take from milliseconds (nothing to do) to minutes (hundreds of new volumes).
        factory.durationHistogramBuckets[SatelliteSession.applyDurationMetric] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300].map {
            Duration.milliseconds(Int64($0 * 1000))
        }
        factory.nameAndLabelSanitizer = { name, labels in
            (Self.prometheusName(name), labels.map { (Self.prometheusName($0.0), $0.1) })
        }
        MetricsSystem.bootstrap(factory)
        let redirect = HTTPSRedirectTarget(configured: restTLS != nil && self.config.https.enabled)
        let https = HTTPSListener(
            configured: restTLS, enabled: self.config.https.enabled, bind: self.config.httpsBind, dataDirectory: self.config.dataDirectory, state: state, redirect: redirect,
            logger: self.logger
        ) { tls, onRunning in
            try self.makeApplication(state: state, tls: tls, metrics: metrics, onServerRunning: onRunning)
        }
        let app = self.makeApplication(state: state, redirect: redirect, metrics: metrics) { port in
            let elapsed = ContinuousClock.now - started
            self.logger.info(
                "depot-controller \(Self.version) serving LINSTOR REST API \(Self.restAPIVersion)",
                metadata: ["address": "\(self.config.restBind.host)", "port": "\(port)", "data-dir": "\(self.config.dataDirectory)", "startup": "\(elapsed)"])
            await onServerRunning(port)
        }
        var services: [any Service] = [
            app, https, links, ObservationFeed(links: links, state: state), ListCacheWarmer(state: state),
            AutoSnapshotScheduler(state: state, logger: self.logger),
        ]
        if let (election, lease) = election { services.append(LeaseKeeper(election: election, lease: lease)) }
        let group = ServiceGroup(configuration: .init(services: services, logger: self.logger))
        try await group.run()
    }

    /// Serves the standby answers on the REST port until this controller holds the lease.
    ///
    /// - Returns: the election and the lease; nil when told to stop while standing by.
    private func standBy(_ store: any LeaseStore) async throws -> (ControllerElection, ControllerLease)? {
        let election = ControllerElection(
            store: store, identity: UUID().uuidString, restURL: self.config.advertisedRESTURL, duration: self.config.leaseDuration, logger: self.logger)
        let listener = StandbyListener(bind: self.config.restBind, active: StandbyTarget(), logger: self.logger)
        return try await election.standBy(answering: listener).map { (election, $0) }
    }

    /// The controller's run as one service of the group that handles the shutdown signals.
    private struct ControllerLifetime: Service {
        let body: @Sendable () async throws -> Void

        func run() async throws { try await self.body() }
    }

    /// `uname -n`: the controller's error reports name it, as LINSTOR's name the controller's host.
    static func hostname() -> String {
        var name = utsname()
        uname(&name)
        return withUnsafeBytes(of: &name.nodename) { bytes in String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// When this executable was built (its modification time), as LINSTOR reports its build time.
    static func buildTime() -> String? {
        guard let path = Bundle.main.executablePath,
            let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
        else { return nil }
        return ISO8601DateFormatter().string(from: modified)
    }

    /// `http.server.request.duration` as Prometheus spells names: `http_server_request_duration`.
    static func prometheusName(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
    }

    /// The plain-HTTP application; while HTTPS serves, `redirect` sends its `/v1` calls there.
    func makeApplication(
        state: ClusterState, redirect: HTTPSRedirectTarget = HTTPSRedirectTarget(), metrics: PrometheusCollectorRegistry? = nil,
        onServerRunning: @escaping @Sendable (Int) async -> Void
    ) -> some ApplicationProtocol {
        let router = Router(context: RESTRequestContext.self)
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: UnexpectedErrorMiddleware(reporter: state.errorReports))
        router.add(middleware: HTTPSRedirect(target: redirect))
        router.add(middleware: TokenAuthentication(state: state))
        self.routes(state, metrics: metrics).register(on: router)
        return Application(
            router: router,
            configuration: .init(address: .hostname(self.config.restBind.host, port: self.config.restBind.port), serverName: "depot-controller"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: self.logger)
    }

    /// The same API over TLS (``HTTPSListener``).
    func makeApplication(
        state: ClusterState, tls: TLSConfiguration, metrics: PrometheusCollectorRegistry?, onServerRunning: @escaping @Sendable (Int) async -> Void
    ) throws -> some ApplicationProtocol {
        let router = Router(context: RESTRequestContext.self)
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: UnexpectedErrorMiddleware(reporter: state.errorReports))
        router.add(middleware: TokenAuthentication(state: state))
        self.routes(state, metrics: metrics).register(on: router)
        let bind = self.config.httpsBind
        return Application(
            router: router, server: try .tls(.http1(), tlsConfiguration: tls),
            configuration: .init(address: .hostname(bind.host, port: bind.port), serverName: "depot-controller"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: self.logger)
    }

    private func routes(_ state: ClusterState, metrics: PrometheusCollectorRegistry?) -> RESTRoutes {
        var version = ControllerVersionDTO()
        version.version = Self.version
        version.gitHash = "depot"
        version.buildTime = Self.buildTime()
        version.restAPIVersion = Self.restAPIVersion
        return RESTRoutes(
            state: state, version: version, logLevel: self.logLevel, sosReportDirectory: self.config.dataDirectory + "/sos-reports",
            databaseDirectory: self.config.dataDirectory, metrics: metrics)
    }
}
