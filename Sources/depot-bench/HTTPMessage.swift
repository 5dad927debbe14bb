import Foundation

/// One request as the benchmark sends it; the body is already-encoded JSON.
struct HTTPRequest: Sendable, CustomStringConvertible {
    let method: String
    let path: String
    let body: [UInt8]?

    static func get(_ path: String) -> HTTPRequest {
        HTTPRequest(method: "GET", path: path, body: nil)
    }

    static func post(_ path: String, json: String) -> HTTPRequest {
        HTTPRequest(method: "POST", path: path, body: Array(json.utf8))
    }

    /// The bytes on the wire, head and body in one buffer so that a request is one `send`.
    func serialized(port: UInt16) -> [UInt8] {
        var head = "\(self.method) \(self.path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: application/json\r\n"
        if let body = self.body {
            head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n"
        }
        head += "\r\n"
        return Array(head.utf8) + (self.body ?? [])
    }

    var description: String {
        guard let body = self.body else { return "\(self.method) \(self.path)" }
        return "\(self.method) \(self.path) \(String(decoding: body, as: UTF8.self))"
    }
}

/// What to do with a response body: keep it to check it, or only count it so that timing a large
/// list does not include copying it.
enum BodyMode: Sendable {
    case keep
    case discard
}

/// One answer, with the time from writing the request to reading its last byte.
struct HTTPResponse: Sendable {
    let status: Int
    /// Empty when the body was read in ``BodyMode/discard``.
    let body: [UInt8]
    let bodyBytes: Int
    let elapsed: Duration

    var isSuccess: Bool { (200..<300).contains(self.status) }

    var bodyText: String { String(decoding: self.body, as: UTF8.self) }
}

/// Why an exchange with the controller failed below HTTP.
enum HTTPError: Error, CustomStringConvertible {
    case refused
    case closed
    case timeout
    case system(String, Int32)
    case malformed(String)

    var description: String {
        switch self {
        case .refused: "connection refused"
        case .closed: "the controller closed the connection before the response was complete"
        case .timeout: "no answer from the controller within the socket timeout"
        case .system(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
        case .malformed(let reason): "malformed HTTP response: \(reason)"
        }
    }
}
