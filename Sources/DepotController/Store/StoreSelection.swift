import DepotPostgres
import DepotSQLite
import DepotStore
import Logging
import ServiceLifecycle

/// Which database the controller keeps its state in: the embedded SQLite file in the data
/// directory, or PostgreSQL when `[db] connection_url` or `--db-url` names one.
///
/// The one place that knows the engines: the controller itself sees a ``ClusterStore``.
enum StoreSelection: CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresURL)

    /// The engine `config` asks for.
    ///
    /// - Throws: ``ConfigError`` when the URL is not a usable `postgresql://` URL (the message says
    ///   what is wrong and never shows the password).
    init(config: ControllerConfig) throws(ConfigError) {
        guard let text = config.database.connectionURL else {
            self = .sqlite(path: config.dataDirectory + "/depot.sqlite")
            return
        }
        do {
            self = .postgres(try PostgresURL(parsing: text, user: config.database.user, password: config.database.password))
        } catch {
            throw ConfigError("\(error) (from [db] connection_url or --db-url)")
        }
    }

    /// The engine and where its database is, without the password: for the log.
    var description: String {
        switch self {
        case .sqlite(let path): "SQLite \(path)"
        case .postgres(let url): "PostgreSQL \(url)"
        }
    }

    /// Opens the store for the controller's whole life. PostgreSQL's connection pool comes back as
    /// a service for the caller's service group to run, listed before the services that use it so
    /// that it stops after them (a lease is handed over before the pool closes).
    func open(logger: Logger) async throws -> (store: any ClusterStore, pool: (any Service)?) {
        logger.info("opening the database", metadata: ["database": "\(self)"])
        switch self {
        case .sqlite(let path):
            return (try SQLiteStore(path: path), nil)
        case .postgres(let url):
            let store = try await PostgresStore.open(url, logger: logger)
            return (store, store)
        }
    }

    /// Opens the store, runs `body` with it and closes it when `body` returns or throws.
    ///
    /// PostgreSQL's connection pool runs in a child task for exactly that long (see
    /// `PostgresStore`); SQLite needs no task.
    func withStore<Result: Sendable>(logger: Logger, _ body: (any ClusterStore) async throws -> Result) async throws -> Result {
        logger.info("opening the database", metadata: ["database": "\(self)"])
        switch self {
        case .sqlite(let path):
            return try await body(try SQLiteStore(path: path))
        case .postgres(let url):
            return try await PostgresStore.withStore(url, logger: logger) { store in try await body(store) }
        }
    }
}
