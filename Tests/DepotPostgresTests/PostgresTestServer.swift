import DepotPostgres
import Foundation
import Logging

/// The PostgreSQL server the tests use: `DEPOT_TEST_POSTGRES_URL`, which `scripts/test.sh` sets
/// after starting one with `scripts/postgres-test-server.sh`.
///
/// Without it the tests that need a server fail, saying how to start one: a suite that skipped
/// silently could never fail. `DEPOT_TEST_POSTGRES=skip` skips them, for a developer who
/// knowingly runs without a server; `scripts/test.sh` never sets it.
enum PostgresTestServer {
    static let environment = ProcessInfo.processInfo.environment

    /// False only when the developer asked to skip the tests that need a server.
    static var isWanted: Bool { Self.environment["DEPOT_TEST_POSTGRES"] != "skip" }

    /// The test server's URL (its role may create databases).
    static func url() throws -> PostgresURL {
        guard let text = Self.environment["DEPOT_TEST_POSTGRES_URL"], !text.isEmpty else { throw NoTestServer() }
        return try PostgresURL(parsing: text)
    }

    /// Quiet unless something fails: the tests' output is their expectations.
    static let logger: Logger = {
        var logger = Logger(label: "depot.postgres.tests")
        logger.logLevel = .error
        return logger
    }()
}

/// `DEPOT_TEST_POSTGRES_URL` is not set.
struct NoTestServer: Error, CustomStringConvertible {
    var description: String {
        """
        These tests need a PostgreSQL server and DEPOT_TEST_POSTGRES_URL is not set. Start a throwaway one (as root; \
        scripts/test.sh does this itself):
            dir=$(mktemp -d /tmp/depot-pg.XXXXXX) && scripts/postgres-test-server.sh start "$dir"
            export DEPOT_TEST_POSTGRES_URL=$(scripts/postgres-test-server.sh url "$dir")
        and stop it with scripts/postgres-test-server.sh stop "$dir". To skip these tests knowingly, set DEPOT_TEST_POSTGRES=skip.
        """
    }
}
