import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// The HTTPS port plain HTTP sends API calls to, once HTTPS is serving; shared by the HTTPS
/// listener (which sets it when it is up and clears it when it stops) and ``HTTPSRedirect``.
final class HTTPSRedirectTarget: Sendable {
    private let port = Mutex<Int?>(nil)
    /// HTTPS from configured files: until it listens, plain HTTP is not yet ready.
    let configured: Bool

    init(configured: Bool = false) {
        self.configured = configured
    }

    var httpsPort: Int? { self.port.withLock { $0 } }

    /// HTTPS is configured but not listening yet (the first moments of a start).
    var isStarting: Bool { self.configured && self.httpsPort == nil }

    func set(_ port: Int?) { self.port.withLock { $0 = port } }
}

/// LINSTOR's `HTTPSForwarder`: while HTTPS serves, plain HTTP answers every `/v1` call with a
/// `302` to the same path on the HTTPS port (python-linstor's and `depot`'s probe look for it) and
/// never carries the call itself, so no token or data crosses the network unencrypted. Other paths
/// (`/health`, `/metrics`) stay on HTTP. With configured certificates, `/v1` calls and `/health`
/// answer `503` until HTTPS listens: a caller that waited for health finds HTTPS up, and no call is
/// carried in plain text in the moment before.
struct HTTPSRedirect: RouterMiddleware {
    typealias Context = RESTRequestContext

    let target: HTTPSRedirectTarget

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let isAPI = path == "/v1" || path.hasPrefix("/v1/")
        if self.target.isStarting, isAPI || path == "/health" {
            var headers = HTTPFields()
            headers[.retryAfter] = "1"
            headers[.contentType] = "text/plain"
            return Response(
                status: .serviceUnavailable, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: "HTTPS is starting; retry in a moment\n")))
        }
        guard let port = self.target.httpsPort, isAPI else { return try await next(request, context) }
        let location = "https://\(Self.serverName(request.head.authority)):\(port)\(path)"
        var headers = HTTPFields()
        headers[.location] = location
        headers[.contentType] = "text/html"
        let body = "<html><body>The controller serves its API over HTTPS: <a href=\"\(location)\">\(location)</a></body></html>\n"
        return Response(status: .found, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// The host the client addressed (the `Host` header without its port), as Grizzly's
    /// `getServerName`; `localhost` when the client sent none.
    static func serverName(_ authority: String?) -> String {
        guard let authority, !authority.isEmpty else { return "localhost" }
        if authority.hasPrefix("["), let end = authority.firstIndex(of: "]") { return String(authority[...end]) }
        return String(authority.split(separator: ":", maxSplits: 1).first ?? Substring(authority))
    }
}
