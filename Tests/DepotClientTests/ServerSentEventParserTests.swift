import Testing

@testable import DepotClient

@Suite struct ServerSentEventParserTests {
    @Test func eventsSplitAcrossChunksCommentsAndDefaults() {
        var parser = ServerSentEventParser()
        #expect(parser.feed(": depot events\n\nevent: node-cre").isEmpty)
        #expect(parser.feed("ate\ndata: {\"node\":\r\ndata: 1}\n\n") == [ServerSentEvent(name: "node-create", data: "{\"node\":\n1}")])
        #expect(parser.feed(": heartbeat\n\ndata:x\n\n") == [ServerSentEvent(name: "message", data: "x")])
    }
}
