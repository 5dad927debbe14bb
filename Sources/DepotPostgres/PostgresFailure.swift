import Foundation
import NIOCore
import NIOPosix
import PostgresNIO

/// What went wrong in a PostgreSQL call, in one line for the administrator.
///
/// postgres-nio's errors deliberately describe themselves as a generic text (they may carry
/// queries and their values); this keeps what helps and nothing of the query's values: the
/// server's message, SQLSTATE, detail and hint, or the network or TLS failure underneath.
enum PostgresFailure {
    static func describe(_ error: any Error) -> String {
        if let transaction = error as? PostgresTransactionError {
            return transaction.closureError.map(Self.describe) ?? transaction.commitError.map(Self.describe) ?? "the transaction failed"
        }
        guard let error = error as? PSQLError else { return "\(error)" }
        if let server = error.serverInfo {
            var text = server[.message] ?? "the server refused"
            if let state = server[.sqlState] { text += " (SQLSTATE \(state))" }
            if let detail = server[.detail] { text += "; \(detail)" }
            if let hint = server[.hint] { text += "; hint: \(hint)" }
            return text
        }
        switch error.code {
        case .sslUnsupported:
            return "the server does not offer TLS; turn ssl on in its postgresql.conf, or use sslmode=prefer or disable"
        case .connectionError, .failedToAddSSLHandler:
            return error.underlying.map(Self.network) ?? "the connection failed"
        case .serverClosedConnection, .uncleanShutdown:
            return "the server closed the connection" + (error.underlying.map { " (\($0))" } ?? "")
        case .authMechanismRequiresPassword:
            return "the server asks for a password and the URL has none"
        case .unsupportedAuthMechanism:
            return "the server asks for an authentication method Depot does not support; use scram-sha-256 or md5 in pg_hba.conf"
        default:
            return "\(error.code)" + (error.underlying.map { ": \($0)" } ?? "")
        }
    }

    /// A network failure as the system names it ("Connection refused"), not as NIO's nested
    /// error types print.
    private static func network(_ error: any Error) -> String {
        if let connection = error as? NIOConnectionError {
            if let first = connection.connectionErrors.first { return Self.network(first.error) }
            if connection.dnsAError != nil || connection.dnsAAAAError != nil { return "the host name \(connection.host) does not resolve" }
        }
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)) }
        return "\(error)"
    }
}
