import DepotModel
import DepotWire
import HashTreeCollections
import Testing

@testable import DepotController

/// The words a caller reads when a satellite did not report in time.
@Suite struct SatelliteRepliesTests {
    /// Satellites whose waits all end the same way.
    struct FixedOutcome: SatelliteConnections {
        let outcome: SatelliteOutcome

        func status(of node: ObjectKey) -> ConnectionStatus { .online }
        func capabilities(of node: ObjectKey) -> NodeCapabilitiesDTO? { nil }
        func hostname(of node: ObjectKey) -> String? { nil }
        func poolReport(node: ObjectKey, pool: ObjectKey) -> StoragePoolReport? { nil }
        func outcome(of node: ObjectKey, handling version: UInt64, within timeout: Duration) async -> SatelliteOutcome { self.outcome }
        func reconnect(_ node: ObjectKey) {}
        func ask(_ node: ObjectKey, within timeout: Duration, _ query: (UInt64) -> SatelliteQuery) async -> SatelliteAnswer? { nil }
    }

    static func publisher() throws -> SnapshotPublisher {
        var transaction = ClusterTransaction.empty()
        _ = try transaction.createNode(Body.node("vulcan"))
        let model = transaction.model
        return SnapshotPublisher(
            ClusterSnapshot(version: 1, model: model, resourceJSON: [:], definitionJSON: [:], order: ClusterSnapshot.SortedKeys(model: model)))
    }

    static func replies(_ outcome: SatelliteOutcome) async throws -> [Reply] {
        await SatelliteReplies.collect(
            nodes: [ObjectKey("vulcan")], resources: [:], version: 1, from: FixedOutcome(outcome: outcome), publisher: try Self.publisher())
    }

    @Test func droppedLinkSaysTheChangeIsStored() async throws {
        let replies = try await Self.replies(.linkLost("the connection closed"))
        #expect(replies.count == 1)
        #expect(replies.first?.code == .warnNotConnected)
        #expect(replies.first?.message == "The link to satellite 'vulcan' dropped before it reported the change.")
        #expect(replies.first?.cause == "The link failed: the connection closed")
        #expect(replies.first?.objectReferences == ["Node": "vulcan"])
    }

    @Test func busySatelliteSaysWhatItIsWorkingOn() async throws {
        let progress = ApplyProgress(
            version: 1, resourcesDone: 2, resourcesTotal: 5, currentResource: "SharedData", currentLayer: "DRBD", elapsedMilliseconds: 3200)
        let replies = try await Self.replies(.stillApplying(progress))
        #expect(replies.first?.code == .warnNotConnected)
        #expect(replies.first?.message == "Satellite 'vulcan' is still applying the change after \(SatelliteReplies.waitLimit).")
        #expect(replies.first?.cause == "It is working on \(progress.summary).")
        let waiting = try await Self.replies(.stillApplying(nil))
        #expect(waiting.first?.cause == "It is working on an earlier change first.")
    }

    @Test func reportWithoutChangedResourcesAddsNothing() async throws {
        #expect(try await Self.replies(.reported(NodeReport(appliedVersion: 1, storagePools: [], resources: []))).isEmpty)
    }
}
