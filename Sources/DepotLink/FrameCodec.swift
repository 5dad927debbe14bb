public import DepotWire
import Foundation
public import NIOCore

/// Splits the byte stream into frames: a 4-byte big-endian length, then that many bytes of JSON.
///
/// A length above ``SatelliteProtocol/maximumFrameBytes`` closes the connection instead of
/// buffering whatever a broken or hostile peer announces.
struct FrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return .needMoreData }
        guard length <= SatelliteProtocol.maximumFrameBytes else { throw LinkError.frameTooLarge(Int(length)) }
        guard buffer.readableBytes >= 4 + Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 4)
        guard let frame = buffer.readSlice(length: Int(length)) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }
}

/// Prefixes each outgoing frame with its length.
struct FrameEncoder: MessageToByteEncoder {
    typealias OutboundIn = ByteBuffer

    func encode(data: ByteBuffer, out: inout ByteBuffer) throws {
        out.writeInteger(UInt32(data.readableBytes))
        out.writeImmutableBuffer(data)
    }
}

/// What can go wrong on a satellite link.
public enum LinkError: Error, Sendable, Equatable, CustomStringConvertible {
    case frameTooLarge(Int)
    case undecodable(String)
    case closed
    case refused(Refusal)
    case unexpected(String)
    case timedOut(String)

    public var description: String {
        switch self {
        case .frameTooLarge(let size): "peer sent a frame of \(size) bytes, more than the \(SatelliteProtocol.maximumFrameBytes) allowed"
        case .undecodable(let reason): "peer sent a message that is not Depot's satellite protocol: \(reason)"
        case .closed: "the connection closed"
        case .refused(let refusal): "the satellite refused: \(refusal.message)"
        case .unexpected(let what): "unexpected message: \(what)"
        case .timedOut(let what): "timed out waiting for \(what)"
        }
    }
}

extension SatelliteMessage {
    /// The message as one frame's payload.
    public func encoded() throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONEncoder().encode(self))
    }

    /// Parses one frame's payload.
    public init(frame: ByteBuffer) throws(LinkError) {
        do {
            self = try JSONDecoder().decode(SatelliteMessage.self, from: Data(frame.readableBytesView))
        } catch {
            throw LinkError.undecodable(String(describing: error))
        }
    }
}

extension ChannelPipeline.SynchronousOperations {
    /// Installs the framing handlers on a fresh link channel.
    public func addFrameCodec() throws {
        try self.addHandler(ByteToMessageHandler(FrameDecoder()))
        try self.addHandler(MessageToByteHandler(FrameEncoder()))
    }
}
