import DepotLink
import DepotModel
import DepotWire
import HashTreeCollections
import Logging
import NIOCore
import Testing

@testable import DepotController

/// One session against a stand-in satellite on loopback: the handshake and one exchange.
@Suite(.timeLimit(.minutes(1))) struct SatelliteSessionTests {
    /// A node whose satellite listens on `port`, its link state started, and a session for it.
    struct Fixture {
        let node: ObjectKey
        let table = SatelliteLinkTable()
        let session: SatelliteSession
        let reports: AsyncStream<SatelliteLinks.ReceivedReport>
        let port: Int

        init(port: Int) throws {
            var node = Body.node("vulcan", address: "127.0.0.1")
            node.netInterfaces[0].satellitePort = port
            var transaction = ClusterTransaction.empty()
            _ = try transaction.createNode(node)
            let model = transaction.model
            let publisher = SnapshotPublisher(
                ClusterSnapshot(version: 1, model: model, resourceJSON: [:], definitionJSON: [:], order: ClusterSnapshot.SortedKeys(model: model)))
            self.node = ObjectKey("vulcan")
            let endpoint = try #require(model.nodes[self.node].flatMap(SatelliteEndpoint.init))
            _ = self.table.start(self.node, at: endpoint)
            let (reports, sink) = AsyncStream.makeStream(of: SatelliteLinks.ReceivedReport.self)
            self.reports = reports
            self.session = SatelliteSession(
                node: self.node, endpoint: endpoint, table: self.table, publisher: publisher, reports: sink, logger: Logger(label: "test"),
                fencingToken: nil)
            self.port = port
        }
    }

    /// Runs the session against a stand-in satellite that serves one connection with `satellite`.
    ///
    /// - Returns: the fixture, and the error the session ended with (a session only ends by throwing).
    static func run(
        _ satellite: @escaping @Sendable (inout NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator, NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws -> Void
    ) async throws -> (Fixture, any Error) {
        let server = try await Link.listen(host: "127.0.0.1", port: 0)
        let fixture = try Fixture(port: try #require(server.channel.localAddress?.port))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        try await connection.executeThenClose { inbound, outbound in
                            var frames = inbound.makeAsyncIterator()
                            try await satellite(&frames, outbound)
                        }
                        return
                    }
                }
            }
            let ended: any Error
            do {
                try await fixture.session.run(on: try await Link.connect(host: "127.0.0.1", port: fixture.port))
                Issue.record("a session only ends by throwing")
                ended = CancellationError()
            } catch {
                ended = error
            }
            try await group.next()
            return (fixture, ended)
        }
    }

    @Test func refusalEndsTheSessionAndTheNodeShowsWhy() async throws {
        let refusal = Refusal(reason: .otherController, message: "Node 'vulcan' belongs to controller another-cluster")
        let (fixture, ended) = try await Self.run { frames, outbound in
            guard case .hello(let hello) = try SatelliteMessage(frame: try #require(try await frames.next())) else {
                Issue.record("the controller speaks first, with its hello")
                return
            }
            #expect(hello.nodeName == "vulcan")
            try await outbound.send(.refusal(refusal))
        }
        #expect(ended as? LinkError == .refused(refusal))
        #expect(fixture.table.status(of: fixture.node) == .otherController)
    }

    @Test func welcomedSessionSendsTheDesiredStateAndTakesItsReport() async throws {
        let (fixture, _) = try await Self.run { frames, outbound in
            _ = try await frames.next()
            try await outbound.send(.welcome(Welcome(satelliteVersion: "0.1.0", hostname: "vulcan", capabilities: NodeCapabilitiesDTO(storageProviders: ["FILE"]))))
            while let frame = try await frames.next() {
                if case .desiredState(let desired) = try SatelliteMessage(frame: frame) {
                    try await outbound.send(.report(NodeReport(appliedVersion: desired.version, storagePools: [], resources: [])))
                    return
                }
            }
        }
        #expect(fixture.table.capabilities(of: fixture.node)?.storageProviders == ["FILE"])
        let outcome = await fixture.table.outcome(of: fixture.node, handling: 1, within: .zero)
        #expect(outcome == .reported(NodeReport(appliedVersion: 1, storagePools: [], resources: [])))
        var received = fixture.reports.makeAsyncIterator()
        #expect(await received.next()?.report?.appliedVersion == 1)
    }
}
