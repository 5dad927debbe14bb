import Foundation

/// Where the controller's PostgreSQL database is, and how to reach it:
/// `postgresql://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=MODE&sslrootcert=PATH`, or over the
/// server's Unix-domain socket as libpq writes it: `postgresql://USER@/DATABASE?host=/run/postgresql`
/// (or the directory percent-encoded as the host, `postgresql://USER@%2Frun%2Fpostgresql/DATABASE`).
///
/// Parsed here rather than by a library so that every mistake gets a message that says what is
/// wrong and shows a right URL, and so that no message, log line or description ever carries the
/// password (``description`` leaves it out).
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var sslMode: SSLMode
    /// `sslrootcert`: PEM file of the certificate authorities `verify-ca` and `verify-full` trust
    /// instead of the system's.
    public var sslRootCertificate: String?
    /// The directory of the server's Unix-domain socket, instead of a TCP host.
    public var socketDirectory: String?

    /// The socket file in ``socketDirectory``, named for the port as the server names it.
    public var socketPath: String? { self.socketDirectory.map { "\($0)/.s.PGSQL.\(self.port)" } }

    /// libpq's `sslmode` values that Depot supports, with libpq's meaning.
    public enum SSLMode: String, Sendable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, without checking its certificate (libpq's default).
        case prefer
        /// TLS or no connection, without checking the server's certificate.
        case require
        /// TLS with a certificate signed by a trusted authority, whatever name it carries.
        case verifyCA = "verify-ca"
        /// TLS with a trusted certificate for the host name in the URL.
        case verifyFull = "verify-full"
    }

    public static let defaultPort = 5432
    static let example = "postgresql://depot:PASSWORD@db.example.com:5432/depot?sslmode=verify-full"

    public init(
        user: String, password: String?, host: String, port: Int = Self.defaultPort, database: String, sslMode: SSLMode = .prefer,
        sslRootCertificate: String? = nil
    ) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
        self.sslMode = sslMode
        self.sslRootCertificate = sslRootCertificate
    }

    /// The URL without its password: safe for logs and error messages.
    public var description: String {
        var text = "postgresql://\(Self.encode(self.user))@\(self.host.contains(":") ? "[\(self.host)]" : self.host):\(self.port)/\(Self.encode(self.database))"
        var parameters = ["sslmode=\(self.sslMode.rawValue)"]
        if let socketDirectory { parameters.insert("host=\(socketDirectory)", at: 0) }
        if let root = self.sslRootCertificate { parameters.append("sslrootcert=\(root)") }
        text += "?" + parameters.joined(separator: "&")
        return text
    }

    /// Parses `text`. `postgres://` and LINSTOR's `jdbc:postgresql://` are accepted as well; the
    /// port defaults to 5432 and `sslmode` to `prefer`, as with libpq.
    ///
    /// - Parameters:
    ///   - user: replaces the URL's user, as LINSTOR's `[db] user` beside a URL without one.
    ///   - password: replaces the URL's password (`[db] password`).
    /// - Throws: ``PostgresURLError`` saying what is wrong; it never repeats the password.
    public init(parsing text: String, user: String? = nil, password: String? = nil) throws(PostgresURLError) {
        var rest = text.trimmingCharacters(in: .whitespaces)
        if rest.hasPrefix("jdbc:") { rest.removeFirst("jdbc:".count) }
        guard let schemeEnd = rest.range(of: "://") else {
            throw PostgresURLError("it does not start with postgresql://")
        }
        let scheme = rest[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "postgresql" || scheme == "postgres" else {
            throw PostgresURLError("its scheme is '\(scheme)', not postgresql or postgres")
        }
        rest = String(rest[schemeEnd.upperBound...])
        // RFC 3986: the authority ends at the first '/', '?' or '#'; a user name or password with
        // one of these (or '@') must be percent-encoded.
        let authorityEnd = rest.firstIndex { "/?#".contains($0) } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var afterAuthority = rest[authorityEnd...]
        let at = authority.lastIndex(of: "@")
        var (urlUser, urlPassword) = try at.map { at throws(PostgresURLError) in try Self.userInfo(authority[..<at]) } ?? (nil, nil)
        if let user { urlUser = user }
        if let password { urlPassword = password }
        guard let urlUser else {
            throw PostgresURLError(
                "it names no user (user:password@host, or [db] user); a user name or password with '@', '/', '?' or '#' must be "
                    + "percent-encoded (%40, %2F, %3F, %23)")
        }
        let (host, port) = try Self.hostAndPort(at.map { authority[authority.index(after: $0)...] } ?? authority)
        if afterAuthority.contains("#") {
            throw PostgresURLError("it has a fragment ('#…'), which a database URL cannot have")
        }
        var query: Substring = ""
        if let mark = afterAuthority.firstIndex(of: "?") {
            query = afterAuthority[afterAuthority.index(after: mark)...]
            afterAuthority = afterAuthority[..<mark]
        }
        let path = afterAuthority.drop { $0 == "/" }
        guard !path.isEmpty else { throw PostgresURLError("it names no database (…@host:port/DATABASE)") }
        guard !path.contains("/"), let database = String(path).removingPercentEncoding, !database.isEmpty else {
            throw PostgresURLError("its database name is not one path segment")
        }
        self.init(user: urlUser, password: urlPassword, host: host, port: port, database: database)
        if host.hasPrefix("/") {
            self.host = ""
            self.socketDirectory = host
        }
        try self.readParameters(query)
        guard !self.host.isEmpty || self.socketDirectory != nil else {
            throw PostgresURLError("it names no host (…@HOST:port/database, or ?host=/SOCKET/DIRECTORY for a Unix-domain socket)")
        }
    }

    private static func userInfo(_ text: Substring) throws(PostgresURLError) -> (String?, String?) {
        let colon = text.firstIndex(of: ":")
        let rawUser = colon.map { text[..<$0] } ?? text
        guard let user = String(rawUser).removingPercentEncoding, !user.isEmpty else {
            throw PostgresURLError("it names no user (user:password@host), or the user name is not valid percent-encoding")
        }
        guard let colon else { return (user, nil) }
        guard let password = String(text[text.index(after: colon)...]).removingPercentEncoding else {
            throw PostgresURLError("its password is not valid percent-encoding ('%' must be written %25)")
        }
        return (user, password)
    }

    private static func hostAndPort(_ text: Substring) throws(PostgresURLError) -> (String, Int) {
        var host: Substring
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw PostgresURLError("its IPv6 host lacks the closing ']'") }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw PostgresURLError("only ':PORT' may follow an IPv6 host in brackets") }
                portText = after.dropFirst()
            }
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        } else {
            host = text
        }
        // A percent-encoded absolute path is the directory of a Unix-domain socket (libpq's form).
        if let directory = String(host).removingPercentEncoding, directory.hasPrefix("/") {
            host = Substring(directory)
        } else if !host.isEmpty, !host.allSatisfy({ $0.isLetter || $0.isNumber || "-._:".contains($0) }) {
            throw PostgresURLError("its host has characters a host name or address cannot have")
        }
        guard let portText else { return (String(host), Self.defaultPort) }
        guard let port = Int(portText), (1...65535).contains(port) else { throw PostgresURLError("its port is not a number from 1 to 65535") }
        return (String(host), port)
    }

    private mutating func readParameters(_ query: Substring) throws(PostgresURLError) {
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            guard parts.count == 2, let value = String(parts[1]).removingPercentEncoding, !value.isEmpty else {
                throw PostgresURLError("its parameter '\(name)' has no value")
            }
            switch name {
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else {
                    throw PostgresURLError(
                        "sslmode '\(value)' is not one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                self.sslMode = mode
            case "sslrootcert":
                self.sslRootCertificate = value
            case "host":
                guard value.hasPrefix("/") else {
                    throw PostgresURLError("host=\(value) in the query must be a socket directory (an absolute path); put a TCP host before the path")
                }
                self.host = ""
                self.socketDirectory = value
            default:
                throw PostgresURLError("it has the parameter '\(name)'; Depot knows host, sslmode and sslrootcert")
            }
        }
        // PostgreSQL never uses TLS on its socket: a URL that asks for it there is refused, not weakened.
        if self.socketDirectory != nil && [.require, .verifyCA, .verifyFull].contains(self.sslMode) {
            throw PostgresURLError(
                "sslmode=\(self.sslMode.rawValue) cannot hold over a Unix-domain socket (PostgreSQL uses no TLS there); use sslmode=disable or prefer, or a TCP host")
        }
        if self.sslRootCertificate != nil && ![.verifyCA, .verifyFull].contains(self.sslMode) {
            throw PostgresURLError("sslrootcert is only used with sslmode=verify-ca or verify-full")
        }
        // The TLS library checks a certificate's name only against a host name (the one it sends
        // as SNI, which cannot be an address): verify-full with an address would quietly check less.
        if self.sslMode == .verifyFull && (self.host.contains(":") || self.host.allSatisfy { $0.isNumber || $0 == "." }) {
            throw PostgresURLError("sslmode=verify-full needs the server's host name, not an address; use the name in its certificate, or verify-ca")
        }
    }

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed.subtracting(CharacterSet(charactersIn: ":@/?#"))) ?? text
    }
}

/// A database URL that cannot be used. The message says what is wrong and shows a right URL; it
/// never repeats the password.
public struct PostgresURLError: Error, Sendable, Equatable, CustomStringConvertible {
    public let problem: String

    init(_ problem: String) { self.problem = problem }

    public var description: String {
        "The database URL is not valid: \(self.problem). Write it as \(PostgresURL.example) "
            + "(sslmode: disable, prefer, require, verify-ca or verify-full; sslrootcert=PATH for your own CA)."
    }
}
