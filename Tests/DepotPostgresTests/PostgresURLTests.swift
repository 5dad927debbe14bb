import DepotPostgres
import Testing

/// The database URL: what is accepted, what each mistake says, and that no message, description
/// or error ever carries the password.
@Suite struct PostgresURLTests {
    @Test func readsEveryPart() throws {
        let url = try PostgresURL(parsing: "postgresql://depot:s3cr%40t@db.example.com:6543/cluster?sslmode=verify-full&sslrootcert=/etc/depot/ca.pem")
        #expect(
            url
                == PostgresURL(
                    user: "depot", password: "s3cr@t", host: "db.example.com", port: 6543, database: "cluster", sslMode: .verifyFull,
                    sslRootCertificate: "/etc/depot/ca.pem"))
        #expect(url.description == "postgresql://depot@db.example.com:6543/cluster?sslmode=verify-full&sslrootcert=/etc/depot/ca.pem")
    }

    @Test func fillsInLibpqDefaults() throws {
        let url = try PostgresURL(parsing: "postgres://depot@127.0.0.1/depot")
        #expect(url.port == 5432)
        #expect(url.sslMode == .prefer)
        #expect(url.password == nil)
    }

    @Test func acceptsLINSTORsJDBCFormAndIPv6() throws {
        let url = try PostgresURL(parsing: "jdbc:postgresql://linstor:pw@[::1]:5433/linstor?sslmode=require")
        #expect(url.host == "::1")
        #expect(url.port == 5433)
        #expect(url.sslMode == .require)
        #expect(url.description == "postgresql://linstor@[::1]:5433/linstor?sslmode=require")
    }

    @Test func configurationKeysReplaceTheURLsCredentials() throws {
        let url = try PostgresURL(parsing: "postgresql://old:old@localhost/depot", user: "depot", password: "new")
        #expect(url.user == "depot")
        #expect(url.password == "new")
        let linstor = try PostgresURL(parsing: "jdbc:postgresql://localhost/linstor", user: "linstor", password: "pw")
        #expect(linstor.user == "linstor" && linstor.password == "pw" && linstor.host == "localhost")
        #expect(try PostgresURL(parsing: "postgresql://depot@localhost/depot").password == nil)
    }

    @Test func readsLibpqsSocketForms() throws {
        let query = try PostgresURL(parsing: "postgresql://depot:pw@:5433/depot?host=/run/postgresql")
        #expect(query.socketDirectory == "/run/postgresql")
        #expect(query.socketPath == "/run/postgresql/.s.PGSQL.5433")
        #expect(query.description == "postgresql://depot@:5433/depot?host=/run/postgresql&sslmode=prefer")
        let encoded = try PostgresURL(parsing: "postgresql://depot@%2Fvar%2Frun%2Fpostgresql/depot?sslmode=disable")
        #expect(encoded.socketPath == "/var/run/postgresql/.s.PGSQL.5432")
        #expect(encoded.host.isEmpty)
        #expect(try PostgresURL(parsing: "postgresql://depot@db.example.com/depot").socketPath == nil)
    }

    @Test(arguments: [
        ("mysql://depot:hunter2@localhost/depot", "scheme is 'mysql'"),
        ("localhost:5432/depot", "does not start with postgresql://"),
        ("postgresql://localhost/depot", "names no user"),
        ("postgresql://depot:hunter2@localhost", "names no database"),
        ("postgresql://depot:hunter2@localhost:99999/depot", "port is not a number"),
        ("postgresql://depot:hunter2@localhost:abc/depot", "port is not a number"),
        ("postgresql://depot:hunter2@/depot", "names no host"),
        ("postgresql://depot:hunter2@localhost/depot?sslmode=allow", "sslmode 'allow' is not one of"),
        ("postgresql://depot:hunter2@localhost/depot?sslmode=require&sslrootcert=/ca.pem", "sslrootcert is only used with"),
        ("postgresql://depot:hunter2@localhost/depot?timeout=5", "parameter 'timeout'"),
        ("postgresql://depot:hunter2@127.0.0.1/depot?sslmode=verify-full", "verify-full needs the server's host name"),
        ("postgresql://depot:hunter2@localhost/a/b", "not one path segment"),
        // A password with an unencoded '/' or '?' ends the authority early: no part of it may be echoed.
        ("postgresql://depot:hunter2/x@localhost/depot", "names no user"),
        ("postgresql://depot:hunter2?x@localhost/depot", "names no user"),
        ("postgresql://depot:hunter2%zz@localhost/depot", "not valid percent-encoding"),
        ("postgresql://depot:hunter2@/depot?host=db.example.com", "must be a socket directory"),
        ("postgresql://depot:hunter2@/depot?host=/run/postgresql&sslmode=require", "cannot hold over a Unix-domain socket"),
        ("postgresql://depot:hunter2@%2Frun%2Fpostgresql/depot?sslmode=verify-ca", "cannot hold over a Unix-domain socket"),
    ])
    func refusesWithAReasonAndAnExample(_ text: String, _ reason: String) {
        #expect {
            try PostgresURL(parsing: text)
        } throws: { error in
            let message = String(describing: error)
            return message.contains(reason) && message.contains("postgresql://depot:PASSWORD@") && !message.contains("hunter2")
        }
    }
}
