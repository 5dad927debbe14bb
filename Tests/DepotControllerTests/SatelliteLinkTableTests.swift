import DepotLink
import DepotModel
import DepotWire
import Testing

@testable import DepotController

/// The table of link states: which endpoint an event belongs to, and checks across nodes.
@Suite struct SatelliteLinkTableTests {
    typealias Fixture = SatelliteLinkStateMachineTests
    static let kronos = ObjectKey("kronos")
    static let moved = SatelliteEndpoint(host: "127.0.0.99", port: 3366, encryption: .plain)

    @Test func startsOneLinkPerEndpoint() {
        let table = SatelliteLinkTable()
        #expect(table.start(Fixture.vulcan, at: Fixture.endpoint))
        #expect(!table.start(Fixture.vulcan, at: Fixture.endpoint))
        _ = table.welcomed(Fixture.vulcan, at: Fixture.endpoint, Fixture.welcome())
        #expect(table.status(of: Fixture.vulcan) == .online)
        // A new interface starts over.
        #expect(table.start(Fixture.vulcan, at: Self.moved))
        #expect(table.status(of: Fixture.vulcan) == .offline)
        #expect(table.capabilities(of: Fixture.vulcan) == nil)
    }

    @Test func eventsOfAnOldEndpointChangeNothing() {
        let table = SatelliteLinkTable()
        _ = table.start(Fixture.vulcan, at: Fixture.endpoint)
        _ = table.start(Fixture.vulcan, at: Self.moved)
        #expect(table.welcomed(Fixture.vulcan, at: Fixture.endpoint, Fixture.welcome()) == nil)
        #expect(table.update(Fixture.vulcan, at: Fixture.endpoint) { $0.sessionEnded(LinkError.closed) } == nil)
        #expect(table.status(of: Fixture.vulcan) == .offline)
        #expect(table.hostname(of: Fixture.vulcan) == nil)
    }

    @Test func hostnameOnlineOnAnotherNodeIsADuplicate() {
        let table = SatelliteLinkTable()
        _ = table.start(Fixture.vulcan, at: Fixture.endpoint)
        _ = table.start(Self.kronos, at: Self.moved)
        #expect(table.welcomed(Fixture.vulcan, at: Fixture.endpoint, Fixture.welcome(hostname: "vulcan")) == .proceed)
        let action = table.welcomed(Self.kronos, at: Self.moved, Fixture.welcome(hostname: "vulcan"))
        #expect(action == .close(.unexpected("satellite hostname 'vulcan' is already used by node VULCAN")))
        #expect(table.status(of: Self.kronos) == .duplicateUname)
        // Once the first node's link is down, the hostname is free.
        table.update(Fixture.vulcan, at: Fixture.endpoint) { _ = $0.sessionEnded(LinkError.closed) }
        #expect(table.welcomed(Self.kronos, at: Self.moved, Fixture.welcome(hostname: "vulcan")) == .proceed)
    }

    @Test func reconnectRaisesTheGeneration() {
        let table = SatelliteLinkTable()
        _ = table.start(Fixture.vulcan, at: Fixture.endpoint)
        table.reconnect(Fixture.vulcan)
        #expect(table.generation(of: Fixture.vulcan) == 1)
        #expect(table.generation(of: Self.kronos) == 0)
    }

    @Test func removesOnlyTheGoneEndpoint() {
        let table = SatelliteLinkTable()
        _ = table.start(Fixture.vulcan, at: Fixture.endpoint)
        table.remove(Fixture.vulcan, at: Self.moved) { true }
        table.remove(Fixture.vulcan, at: Fixture.endpoint) { false }
        #expect(!table.start(Fixture.vulcan, at: Fixture.endpoint))
        table.remove(Fixture.vulcan, at: Fixture.endpoint) { true }
        #expect(table.start(Fixture.vulcan, at: Fixture.endpoint))
    }

    @Test func waitingEndsWithTheReportTheLinkOrTheTimeout() async {
        let table = SatelliteLinkTable()
        #expect(await table.outcome(of: Fixture.vulcan, handling: 1, within: .seconds(5)) == .linkLost(nil))
        _ = table.start(Fixture.vulcan, at: Fixture.endpoint)
        _ = table.welcomed(Fixture.vulcan, at: Fixture.endpoint, Fixture.welcome())
        table.update(Fixture.vulcan, at: Fixture.endpoint) { $0.sent(version: 2) }
        #expect(await table.outcome(of: Fixture.vulcan, handling: 2, within: .milliseconds(50)) == .stillApplying(nil))
        table.update(Fixture.vulcan, at: Fixture.endpoint) { $0.received(Fixture.report(2)) }
        #expect(await table.outcome(of: Fixture.vulcan, handling: 2, within: .seconds(5)) == .reported(Fixture.report(2)))
    }
}
