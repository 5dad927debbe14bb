import DepotWire
import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing

@testable import DepotLink

/// The link's framing: a 4-byte big-endian length, then that many bytes.
@Suite struct FrameCodecTests {
    static func frame(_ payload: ByteBuffer) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt32(payload.readableBytes))
        buffer.writeImmutableBuffer(payload)
        return buffer
    }

    /// Frames split at every byte, several in one read, and each whole: the decoder yields each
    /// payload exactly once and keeps nothing back.
    @Test func decoderYieldsEveryFrameHoweverTheBytesArrive() throws {
        let payloads = [
            ByteBuffer(),
            ByteBuffer(string: "{}"),
            try SatelliteMessage.ping(42).encoded(),
            try SatelliteMessage.hello(Hello(controllerID: "cluster-1", nodeName: "vulcan")).encoded(),
            ByteBuffer(repeating: 0x7A, count: 3000),
        ]
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: payloads.map { (Self.frame($0), [$0]) },
            decoderFactory: { FrameDecoder() })
    }

    @Test func decoderYieldsFramesSentBackToBackInOneRead() throws {
        var both = Self.frame(ByteBuffer(string: "first"))
        both.writeImmutableBuffer(Self.frame(ByteBuffer(string: "second")))
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [(both, [ByteBuffer(string: "first"), ByteBuffer(string: "second")])],
            decoderFactory: { FrameDecoder() })
    }

    @Test func lengthAboveTheLimitClosesTheLinkWithoutBuffering() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder()))
        var header = ByteBuffer()
        header.writeInteger(UInt32(SatelliteProtocol.maximumFrameBytes + 1))
        #expect(throws: LinkError.frameTooLarge(SatelliteProtocol.maximumFrameBytes + 1)) {
            try channel.writeInbound(header)
        }
        _ = try? channel.finish()
    }

    @Test func lengthAtTheLimitWaitsForItsBytes() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder()))
        var header = ByteBuffer()
        header.writeInteger(UInt32(SatelliteProtocol.maximumFrameBytes))
        try channel.writeInbound(header)
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        _ = try? channel.finish()
    }

    @Test func encoderPrefixesTheLength() throws {
        let channel = EmbeddedChannel(handler: MessageToByteHandler(FrameEncoder()))
        try channel.writeOutbound(ByteBuffer(string: "hello"))
        let written = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(written == Self.frame(ByteBuffer(string: "hello")))
        #expect(try channel.finish().isClean)
    }

    @Test func messageSurvivesAFrame() throws {
        let message = SatelliteMessage.refusal(Refusal(reason: .otherController, message: "not yours"))
        #expect(try SatelliteMessage(frame: message.encoded()) == message)
    }

    @Test func payloadThatIsNotTheProtocolIsUndecodable() {
        #expect {
            try SatelliteMessage(frame: ByteBuffer(string: "GET / HTTP/1.1"))
        } throws: { error in
            guard case .undecodable = error as? LinkError else { return false }
            return true
        }
    }
}
