import DepotLink
import DepotModel
import DepotWire
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import Synchronization

/// What a standby controller answers on the REST port while another controller is active.
///
/// A `/v1` call is redirected (`307`, which keeps the method and body) to the active controller;
/// without one, it gets LINSTOR's error with a `503`. python-linstor does not follow redirects,
/// and its list of controllers (`MultiLinstor`) moves on only when a connection fails, so its
/// connections are closed without an answer: it then tries the next controller it was given.
final class StandbyListener: Sendable {
    let bind: DepotLink.BindAddress
    /// The active controller's REST address, when one holds the lease.
    let active: StandbyTarget
    let logger: Logger
    /// The listening socket while it is open, for ``stop()``.
    private let listening = Mutex<(any Channel)?>(nil)

    init(bind: DepotLink.BindAddress, active: StandbyTarget, logger: Logger) {
        self.bind = bind
        self.active = active
        self.logger = logger
    }

    /// Closes the listening socket: ``run()`` returns once the connections it accepted are answered.
    func stop() {
        self.listening.withLock { $0 }?.close(promise: nil)
    }

    /// Serves until ``stop()`` or a graceful shutdown.
    func run() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: self.bind.host, port: self.bind.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                }
            }
        self.listening.withLock { $0 = server.channel }
        self.logger.info("standing by: REST calls are sent to the active controller", metadata: ["address": "\(self.bind.host)", "port": "\(self.bind.port)"])
        // Elected or told to stop: the listening socket closes, and connections already accepted
        // are still answered (each must be, or NIO traps), before the port goes to the active REST.
        try await withGracefulShutdownHandler {
            try await server.executeThenClose { connections in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in connections {
                        group.addTask { try? await self.answer(connection) }
                    }
                }
            }
        } onGracefulShutdown: {
            self.stop()
        }
    }

    /// Answers the connection's first request and closes it; a client that sends nothing for 5 s
    /// is closed, so that no idle connection keeps a standby from taking over.
    private func answer(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.respond(on: connection) }
            group.addTask {
                try await Task.sleep(for: .seconds(5))
                connection.channel.close(promise: nil)
            }
            _ = try await group.next()
            group.cancelAll()
        }
    }

    private func respond(on connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async throws {
        try await connection.executeThenClose { inbound, outbound in
            for try await part in inbound {
                guard case .head(let head) = part else { continue }
                if head.headers.first(name: "User-Agent")?.hasPrefix("PythonLinstor") == true { return }
                let answer = StandbyAnswer(path: head.uri, active: self.active.url)
                var headers = HTTPHeaders([("Content-Type", answer.contentType), ("Connection", "close"), ("Content-Length", "\(answer.body.utf8.count)")])
                if let location = answer.location { headers.add(name: "Location", value: location) }
                if answer.status == .serviceUnavailable { headers.add(name: "Retry-After", value: "1") }
                try await outbound.write(.head(HTTPResponseHead(version: head.version, status: answer.status, headers: headers)))
                try await outbound.write(.body(.byteBuffer(ByteBuffer(string: answer.body))))
                try await outbound.write(.end(nil))
                return
            }
        }
    }
}

/// The standby's answer to one request, decided apart from the socket so it can be tested.
struct StandbyAnswer: Equatable {
    let status: HTTPResponseStatus
    let location: String?
    let contentType: String
    let body: String

    init(path: String, active: String?) {
        let isAPI = path == "/v1" || path.hasPrefix("/v1/") || path.hasPrefix("/v1?")
        if isAPI, let active {
            self.status = .temporaryRedirect
            self.location = active + path
            self.contentType = "application/json"
            self.body = Self.reply("This controller is a standby; the active controller is \(active).", correction: "Send the call to \(active).")
        } else if isAPI {
            self.status = .serviceUnavailable
            self.location = nil
            self.contentType = "application/json"
            self.body = Self.reply(
                "This controller is a standby and no controller is active at the moment.",
                correction: "Retry in a few seconds: a standby takes over once the lease of the last active controller expired.")
        } else {
            self.status = .serviceUnavailable
            self.location = nil
            self.contentType = "text/plain"
            self.body = "standby\n"
        }
    }

    /// LINSTOR's error entry as a one-element list.
    private static func reply(_ message: String, correction: String) -> String {
        let entry = ApiCallRcDTO(retCode: ReturnCode.failUnknownError.rawValue, message: message, correction: correction)
        return String(decoding: (try? JSONEncoder().encode([entry])) ?? Data("[]".utf8), as: UTF8.self)
    }
}

/// The active controller's REST address as the standby last read it from the lease.
final class StandbyTarget: Sendable {
    private let current = Mutex<String?>(nil)

    var url: String? { self.current.withLock { $0 } }

    func set(_ url: String?) { self.current.withLock { $0 = url } }
}
