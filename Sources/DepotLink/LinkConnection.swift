public import DepotWire
public import NIOCore
import NIOPosix
import NIOSSL

/// One open satellite link: frames in, frames out.
public typealias LinkChannel = NIOAsyncChannel<ByteBuffer, ByteBuffer>

/// Opening links: the controller dials, the satellite listens.
///
/// Without ``LinkTLS`` a link is plain TCP (LINSTOR's `PLAIN`, port 3366); with it, mutual TLS
/// (LINSTOR's `SSL`, port 3367). The frames inside are the same either way.
public enum Link {
    /// How long a TLS handshake may take once TCP is up, on either side.
    public static let handshakeTimeout: TimeAmount = .seconds(10)

    /// Connects to a satellite, over mutual TLS when `tls` is given.
    ///
    /// The satellite's certificate is checked against the CA in `tls` (no host name check: see
    /// ``LinkTLS``). A TLS failure surfaces as a ``LinkTLSError`` naming the satellite, thrown by
    /// the first read from the returned channel.
    ///
    /// - Parameter tls: the controller's identity (``LinkTLS/Role/controller``), or `nil` for plain TCP.
    public static func connect(
        host: String, port: Int, tls: LinkTLS? = nil, timeout: TimeAmount = .seconds(5)
    ) async throws -> LinkChannel {
        let peer = "satellite " + (host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)")
        return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(timeout)
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        // No SNI: the controller dials addresses, and SNI must not carry an IP address.
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls.context, serverHostname: nil))
                        try channel.pipeline.syncOperations.addHandler(LinkTLSHandler(peer: peer, timeout: Self.handshakeTimeout))
                    }
                    try channel.pipeline.syncOperations.addFrameCodec()
                    return try LinkChannel(wrappingChannelSynchronously: channel)
                }
            }
    }

    /// Listens for controllers; each accepted connection is a ``LinkChannel``.
    ///
    /// With `tls`, every connection must complete mutual TLS with a client certificate signed by
    /// the CA in `tls`; a connection that does not fails its first read with a ``LinkTLSError``
    /// naming the controller's address, and never reaches the protocol.
    ///
    /// - Parameter tls: the satellite's identity (``LinkTLS/Role/satellite``), or `nil` for plain TCP.
    public static func listen(host: String, port: Int, tls: LinkTLS? = nil) async throws -> NIOAsyncChannel<LinkChannel, Never> {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        let peer = "controller " + (channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "(unknown address)")
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls.context))
                        try channel.pipeline.syncOperations.addHandler(LinkTLSHandler(peer: peer, timeout: Self.handshakeTimeout))
                    }
                    try channel.pipeline.syncOperations.addFrameCodec()
                    return try LinkChannel(wrappingChannelSynchronously: channel)
                }
            }
    }
}

extension NIOAsyncChannelOutboundWriter where OutboundOut == ByteBuffer {
    /// Sends one protocol message as one frame.
    public func send(_ message: SatelliteMessage) async throws {
        try await self.write(try message.encoded())
    }
}
