import DepotModel
import Testing

@testable import DepotController

/// LINSTOR's node event names from two versions of the nodes.
@Suite struct ClusterEventsTests {
    private func node(_ name: String) -> Node {
        Node(name: name, type: .satellite, netInterfaces: [NetInterface(name: "default", address: "127.0.0.2", satellitePort: 3366, encryptionType: nil, uuid: name)], uuid: name)
    }

    private func names(_ events: [ClusterEvent]) -> [String] {
        events.compactMap { event in
            guard case .node(let name, let old, let new) = event else { return nil }
            return "\(name) \((new ?? old)?.name ?? "?")"
        }
    }

    @Test func createModifyEvacuateRestoreDelete() {
        let vulcan = self.node("vulcan")
        var labelled = vulcan
        labelled.props["Aux/rack"] = "r1"
        var evacuating = labelled
        evacuating.flags.insert(NodeFlag.evacuate)
        #expect(self.names(ClusterEvents.nodeEvents(from: [], to: [vulcan])) == ["node-create vulcan"])
        #expect(self.names(ClusterEvents.nodeEvents(from: [vulcan], to: [vulcan])).isEmpty)
        #expect(self.names(ClusterEvents.nodeEvents(from: [vulcan], to: [labelled])) == ["node-modified vulcan"])
        #expect(self.names(ClusterEvents.nodeEvents(from: [labelled], to: [evacuating])) == ["node-evacuate vulcan"])
        #expect(self.names(ClusterEvents.nodeEvents(from: [evacuating], to: [labelled])) == ["node-restored vulcan"])
        #expect(
            self.names(ClusterEvents.nodeEvents(from: [labelled, self.node("kronos")], to: [self.node("remus")]))
                == ["node-create remus", "node-delete kronos", "node-delete vulcan"])
    }

    @Test func streamsGetEveryEventAndNothingWithoutThem() async {
        let events = ClusterEvents()
        #expect(!events.hasSubscribers)
        let (stream, feed) = events.subscribe()
        #expect(events.hasSubscribers)
        events.publish([.resourceDeleted(node: "vulcan", resource: "r1"), .heartbeat])
        feed.finish()
        var received = 0
        for await _ in stream { received += 1 }
        #expect(received == 2)
        #expect(!events.hasSubscribers)
    }
}
