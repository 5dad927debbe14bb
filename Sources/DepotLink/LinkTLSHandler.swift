import Foundation
import NIOCore
import NIOSSL
import NIOTLS

/// Sits right behind the TLS handler: names the peer in TLS failures and bounds the handshake.
///
/// NIOSSL reports failures as BoringSSL error stacks (`CERTIFICATE_VERIFY_FAILED at handshake.cc:…`)
/// that say neither which peer failed nor what to do. This handler rewrites them into
/// ``LinkTLSError``s that the link's inbound stream then throws, so the controller's node status and
/// both daemons' logs say "satellite 10.0.0.5:3367 presented a certificate not signed by …".
///
/// It also closes connections whose handshake does not finish within the timeout: a peer that
/// accepts TCP but never speaks TLS would otherwise hold the link (or a satellite's accept slot)
/// forever, since heartbeats only start after the handshake.
final class LinkTLSHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let peer: String
    private let timeout: TimeAmount
    private var handshakeTimer: Scheduled<Void>?
    private var isHandshakeComplete = false

    /// - Parameters:
    ///   - peer: how messages name the other side, such as `satellite 10.0.0.5:3367`.
    ///   - timeout: how long the TLS handshake may take after the TCP connection is up.
    init(peer: String, timeout: TimeAmount) {
        self.peer = peer
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { self.startTimer(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.handshakeTimer?.cancel()
        self.handshakeTimer = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        self.startTimer(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.handshakeTimer?.cancel()
        self.handshakeTimer = nil
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            self.isHandshakeComplete = true
            self.handshakeTimer?.cancel()
            self.handshakeTimer = nil
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.fireErrorCaught(Self.translate(error, peer: self.peer))
    }

    private func startTimer(context: ChannelHandlerContext) {
        guard self.handshakeTimer == nil, !self.isHandshakeComplete else { return }
        let timeout = self.timeout
        self.handshakeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            guard !self.isHandshakeComplete else { return }
            context.fireErrorCaught(
                LinkTLSError(
                    .handshakeTimedOut,
                    "TLS handshake with \(self.peer) did not finish within \(timeout.nanoseconds / 1_000_000) ms; "
                        + "is it listening with TLS on that port?"))
            context.close(promise: nil)
        }
    }

    /// The ``LinkTLSError`` for a NIOSSL error; other errors pass unchanged.
    static func translate(_ error: any Error, peer: String) -> any Error {
        let reasons: [String]
        switch error {
        case let error as NIOSSLError:
            switch error {
            case .handshakeFailed(let underlying): reasons = Self.reasons(underlying)
            case .uncleanShutdown: reasons = ["the connection closed without a TLS close_notify"]
            default: reasons = ["\(error)"]
            }
        case let error as BoringSSLError:
            reasons = Self.reasons(error)
        case let error as NIOSSLExtraError:
            reasons = ["\(error)"]
        default:
            return error
        }
        let joined = reasons.joined(separator: ", ")
        let rejectedByPeer = ["ALERT_UNKNOWN_CA", "ALERT_BAD_CERTIFICATE", "ALERT_CERTIFICATE_", "CERTIFICATE_REQUIRED", "ALERT_ACCESS_DENIED"]
        if reasons.contains(where: { $0.contains("CERTIFICATE_VERIFY_FAILED") }) {
            return LinkTLSError(
                .certificateRejected,
                "TLS with \(peer) failed: its certificate is not trusted (not signed by our CA, expired or not yet valid) (\(joined)).")
        }
        if reasons.contains(where: { reason in rejectedByPeer.contains { reason.contains($0) } }) {
            return LinkTLSError(
                .certificateRejected,
                "TLS with \(peer) failed: it rejected our certificate (\(joined)); it must be signed by the CA that \(peer) trusts.")
        }
        if reasons.contains(where: { $0.contains("PEER_DID_NOT_RETURN_A_CERTIFICATE") || $0.contains("NO_CERTIFICATE") }) {
            return LinkTLSError(.certificateRejected, "TLS with \(peer) failed: it presented no certificate (\(joined)).")
        }
        if reasons.contains(where: { $0.contains("EOF during") }) {
            return LinkTLSError(
                .handshakeFailed,
                "TLS with \(peer) failed: it closed the connection during the handshake; "
                    + "does it listen with TLS on this port, and does it trust our certificate?")
        }
        if reasons.contains(where: { $0.contains("WRONG_VERSION_NUMBER") || $0.contains("HTTP_REQUEST") }) {
            return LinkTLSError(
                .handshakeFailed, "TLS with \(peer) failed: it does not speak TLS on this port (\(joined)); is it set up for plain TCP?")
        }
        return LinkTLSError(.handshakeFailed, "TLS with \(peer) failed: \(joined).")
    }

    /// BoringSSL's reason codes (`CERTIFICATE_VERIFY_FAILED`), without source file and line.
    private static func reasons(_ error: BoringSSLError) -> [String] {
        switch error {
        case .sslError(let stack), .unknownError(let stack):
            let reasons = stack.map { entry -> String in
                let text = entry.description
                guard let internalRange = text.range(of: "OPENSSL_internal:") else {
                    return text.hasPrefix("Error:  ") ? String(text.dropFirst(8)) : text
                }
                let reason = text[internalRange.upperBound...]
                return String(reason.prefix { $0 != " " })
            }
            return reasons.isEmpty ? ["\(error)"] : reasons
        case .syscallError:
            return ["the connection failed during the TLS handshake"]
        case .zeroReturn:
            return ["the peer closed the TLS connection"]
        default:
            return ["\(error)"]
        }
    }
}
