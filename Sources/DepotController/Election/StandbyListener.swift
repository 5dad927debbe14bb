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
    /// The listening socket while it is open, and whether ``stop()`` came first.
    private let listening = Mutex<(channel: (any Channel)?, stopped: Bool)>((nil, false))

    init(bind: DepotLink.BindAddress, active: StandbyTarget, logger: Logger) {
        self.bind = bind
        self.active = active
        self.logger = logger
    }

    /// Closes the listening socket, also when it is still being opened: ``run()`` then returns.
    func stop() {
        self.listening.withLock { state in
            state.stopped = true
            return state.channel
        }?.close(promise: nil)
    }

    /// Serves until ``stop()`` or a graceful shutdown.
    ///
    /// Each connection is answered by a ``StandbyHandler`` on its own event loop, not by a task:
    /// a connection accepted while the listening socket closes is then still answered (or closed)
    /// by its handler, and nothing is left holding an unconsumed stream.
    func run() async throws {
        let active = self.active
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(StandbyHandler(active: active))
                }
            }
            .bind(host: self.bind.host, port: self.bind.port).get()
        let stoppedMeanwhile = self.listening.withLock { state in
            state.channel = server
            return state.stopped
        }
        if stoppedMeanwhile { server.close(promise: nil) }
        self.logger.info("standing by: REST calls are sent to the active controller", metadata: ["address": "\(self.bind.host)", "port": "\(self.bind.port)"])
        try await withGracefulShutdownHandler {
            try await server.closeFuture.get()
        } onGracefulShutdown: {
            self.stop()
        }
    }
}

/// Answers a connection's first request with the ``StandbyAnswer`` and closes it. A client that
/// sends nothing for 5 s is closed, so that no idle connection keeps a standby from taking over.
final class StandbyHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let idleLimit = TimeAmount.seconds(5)

    let active: StandbyTarget
    private var answered = false

    init(active: StandbyTarget) {
        self.active = active
    }

    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        context.eventLoop.scheduleTask(in: Self.idleLimit) { channel.close(promise: nil) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let head) = self.unwrapInboundIn(data), !self.answered else { return }
        self.answered = true
        if head.headers.first(name: "User-Agent")?.hasPrefix("PythonLinstor") == true {
            context.close(promise: nil)
            return
        }
        let answer = StandbyAnswer(path: head.uri, active: self.active.url)
        var headers = HTTPHeaders([("Content-Type", answer.contentType), ("Connection", "close"), ("Content-Length", "\(answer.body.utf8.count)")])
        if let location = answer.location { headers.add(name: "Location", value: location) }
        if answer.status == .serviceUnavailable { headers.add(name: "Retry-After", value: "1") }
        context.write(self.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: answer.status, headers: headers))), promise: nil)
        context.write(self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: answer.body)))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(self.wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
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
