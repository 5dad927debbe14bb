import Foundation
import Glibc

/// One keep-alive HTTP/1.1 connection to the controller over a blocking loopback socket.
///
/// Raw sockets rather than URLSession: on Linux URLSession runs on libcurl with its own threads and
/// buffering, which would sit inside every latency we measure. Here the clock starts just before the
/// request is written and stops when the last body byte is read. Not thread-safe: ``HTTPClient``
/// confines each connection to one queue.
final class HTTPConnection {
    private static let bufferSize = 64 * 1024

    private let descriptor: Int32
    private let port: UInt16
    private var storage = [UInt8](repeating: 0, count: HTTPConnection.bufferSize)
    /// Received bytes not consumed yet are `storage[start..<end]`.
    private var start = 0
    private var end = 0
    /// False once the server said `Connection: close` or ended a body by closing.
    private(set) var isReusable = true

    init(port: UInt16, timeout: Duration) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw HTTPError.system("socket", errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            close(descriptor)
            throw code == ECONNREFUSED ? HTTPError.refused : HTTPError.system("connect", code)
        }
        // Requests are written whole; Nagle would only hold back the next small request.
        var one: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        // A stalled controller must fail the benchmark, not hang it.
        var limit = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        self.descriptor = descriptor
        self.port = port
    }

    deinit {
        close(self.descriptor)
    }

    /// Sends one request and reads its whole response.
    func perform(_ request: HTTPRequest, body mode: BodyMode) throws -> HTTPResponse {
        let started = ContinuousClock.now
        try self.write(request.serialized(port: self.port))
        let head = try self.readHead()
        var body = BodySink(mode: mode)
        switch head.framing {
        case .length(let count):
            body.reserve(count)
            try self.readBody(count: count, into: &body)
        case .chunked:
            try self.readChunkedBody(into: &body)
        case .untilClose:
            try self.readUntilClose(into: &body)
            self.isReusable = false
        }
        if head.closesConnection { self.isReusable = false }
        return HTTPResponse(status: head.status, body: body.bytes, bodyBytes: body.count, elapsed: ContinuousClock.now - started)
    }

    private func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return send(self.descriptor, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                offset += sent
                continue
            }
            guard sent < 0 else { throw HTTPError.closed }
            let code = errno
            if code == EINTR { continue }
            throw code == EAGAIN ? HTTPError.timeout : HTTPError.system("send", code)
        }
    }

    /// Appends what the socket has to the buffer; false at end of stream.
    private func fill() throws -> Bool {
        if self.start == self.end {
            self.start = 0
            self.end = 0
        } else if self.end == self.storage.count {
            guard self.start > 0 else { throw HTTPError.malformed("a header line is longer than \(Self.bufferSize) bytes") }
            let pending = self.end - self.start
            let from = self.start
            self.storage.withUnsafeMutableBytes { raw in
                guard let base = raw.baseAddress else { return }
                memmove(base, base + from, pending)
            }
            self.start = 0
            self.end = pending
        }
        while true {
            let end = self.end
            let received = self.storage.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return recv(self.descriptor, base + end, raw.count - end, 0)
            }
            if received > 0 {
                self.end += received
                return true
            }
            if received == 0 { return false }
            let code = errno
            if code == EINTR { continue }
            throw code == EAGAIN ? HTTPError.timeout : HTTPError.system("recv", code)
        }
    }

    /// The buffered bytes up to the next CRLF, which is consumed.
    private func readLine() throws -> String {
        while true {
            var index = self.start
            while index + 1 < self.end {
                if self.storage[index] == 13, self.storage[index + 1] == 10 {
                    let line = String(decoding: self.storage[self.start..<index], as: UTF8.self)
                    self.start = index + 2
                    return line
                }
                index += 1
            }
            guard try self.fill() else { throw HTTPError.closed }
        }
    }

    private func readHead() throws -> ResponseHead {
        let statusLine = try self.readLine()
        var fields: [String: String] = [:]
        while true {
            let line = try self.readLine()
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { throw HTTPError.malformed("header line \(line)") }
            let name = line[..<colon].lowercased()
            fields[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return try ResponseHead(statusLine: statusLine, fields: fields)
    }

    private func readBody(count: Int, into body: inout BodySink) throws {
        var remaining = count
        while remaining > 0 {
            if self.start == self.end {
                guard try self.fill() else { throw HTTPError.closed }
            }
            let take = min(remaining, self.end - self.start)
            body.append(self.storage[self.start..<(self.start + take)])
            self.start += take
            remaining -= take
        }
    }

    private func readChunkedBody(into body: inout BodySink) throws {
        while true {
            let sizeField = try self.readLine().split(separator: ";", maxSplits: 1).first ?? ""
            guard let size = Int(sizeField.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else {
                throw HTTPError.malformed("chunk size \(sizeField)")
            }
            if size == 0 {
                while try !self.readLine().isEmpty {}
                return
            }
            try self.readBody(count: size, into: &body)
            guard try self.readLine().isEmpty else { throw HTTPError.malformed("a chunk is not followed by CRLF") }
        }
    }

    private func readUntilClose(into body: inout BodySink) throws {
        while true {
            if self.start < self.end {
                body.append(self.storage[self.start..<self.end])
                self.start = self.end
            }
            guard try self.fill() else { return }
        }
    }
}

/// Status and framing of a response, from its head.
private struct ResponseHead {
    enum Framing {
        case length(Int)
        case chunked
        case untilClose
    }

    let status: Int
    let framing: Framing
    let closesConnection: Bool

    init(statusLine: String, fields: [String: String]) throws {
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw HTTPError.malformed("status line \(statusLine)")
        }
        self.status = status
        let connection = fields["connection"]?.lowercased() ?? ""
        self.closesConnection = connection.contains("close") || (parts[0] == "HTTP/1.0" && !connection.contains("keep-alive"))
        if status == 204 || status == 304 || (100..<200).contains(status) {
            self.framing = .length(0)
        } else if fields["transfer-encoding"]?.lowercased().contains("chunked") == true {
            self.framing = .chunked
        } else if let length = fields["content-length"] {
            guard let count = Int(length), count >= 0 else { throw HTTPError.malformed("Content-Length \(length)") }
            self.framing = .length(count)
        } else {
            self.framing = .untilClose
        }
    }
}

/// Where body bytes go: kept, or only counted.
private struct BodySink {
    let mode: BodyMode
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0

    init(mode: BodyMode) {
        self.mode = mode
    }

    mutating func reserve(_ capacity: Int) {
        if self.mode == .keep { self.bytes.reserveCapacity(capacity) }
    }

    mutating func append(_ chunk: ArraySlice<UInt8>) {
        self.count += chunk.count
        if self.mode == .keep { self.bytes.append(contentsOf: chunk) }
    }
}
