public import DepotWire
public import NIOCore
import NIOPosix

/// One open satellite link: frames in, frames out.
public typealias LinkChannel = NIOAsyncChannel<ByteBuffer, ByteBuffer>

/// Opening links: the controller dials, the satellite listens.
public enum Link {
    /// Connects to a satellite.
    public static func connect(host: String, port: Int, timeout: TimeAmount = .seconds(5)) async throws -> LinkChannel {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(timeout)
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addFrameCodec()
                    return try LinkChannel(wrappingChannelSynchronously: channel)
                }
            }
    }

    /// Listens for controllers; each accepted connection is a ``LinkChannel``.
    public static func listen(host: String, port: Int) async throws -> NIOAsyncChannel<LinkChannel, Never> {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
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
