import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOSSL

/// One Server-Sent Event: its name (`event:`) and its data (`data:` lines joined).
public struct ServerSentEvent: Sendable, Equatable {
    public var name: String
    public var data: String

    public init(name: String, data: String) {
        self.name = name
        self.data = data
    }
}

/// Reads a `text/event-stream` body: fields until a blank line, comments (`:`) skipped.
struct ServerSentEventParser {
    private var pending = ""
    private var name = "message"
    private var data: [String] = []

    /// The events `chunk` completes.
    mutating func feed(_ chunk: String) -> [ServerSentEvent] {
        self.pending += chunk
        var events: [ServerSentEvent] = []
        // "\r\n" is one Character in Swift: `isNewline` finds it as well as "\n".
        while let newline = self.pending.firstIndex(where: \.isNewline) {
            let line = String(self.pending[..<newline])
            self.pending.removeSubrange(...newline)
            if line.isEmpty {
                if !self.data.isEmpty { events.append(ServerSentEvent(name: self.name, data: self.data.joined(separator: "\n"))) }
                self.name = "message"
                self.data = []
            } else if line.hasPrefix(":") {
                continue
            } else {
                let field = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                var value = field.count > 1 ? String(field[1]) : ""
                if value.hasPrefix(" ") { value.removeFirst() }
                switch field[0] {
                case "event": self.name = value
                case "data": self.data.append(value)
                default: break
                }
            }
        }
        return events
    }
}

extension DepotClient {
    /// Follows the controller's event stream at `path` (`/v1/events/nodes`, …), handing each event
    /// to `handle`, until the controller ends it, `handle` throws, or the task is cancelled.
    ///
    /// - Parameter lastEventID: sent as `Last-Event-ID` (`current`: the promotion stream's state first).
    public func follow(_ path: String, lastEventID: String? = nil, handle: @Sendable (ServerSentEvent) async throws -> Void) async throws {
        var request = HTTPClientRequest(url: self.endpoint.baseURL + path)
        request.headers.add(name: "Accept", value: "text/event-stream")
        if let lastEventID { request.headers.add(name: "Last-Event-ID", value: lastEventID) }
        switch self.transport {
        case .plain(let plain):
            for (name, value) in plain.headers { request.headers.add(name: name, value: value) }
        case .tls(let tls):
            request.tlsConfiguration = tls.tls
            for (name, value) in tls.headers { request.headers.add(name: name, value: value) }
        }
        // A stream has no end to wait for: the deadline is a year.
        let response = try await HTTPClient.shared.execute(request, timeout: .hours(24 * 365))
        guard response.status == .ok else {
            throw DepotClientError(.connectionFailed, "The controller answered \(response.status.code) to \(path).")
        }
        var parser = ServerSentEventParser()
        for try await chunk in response.body {
            for event in parser.feed(String(buffer: chunk)) { try await handle(event) }
        }
    }
}
