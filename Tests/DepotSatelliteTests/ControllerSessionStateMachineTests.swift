import DepotLink
import DepotModel
import DepotWire
import Testing

@testable import DepotSatellite

/// Every transition of the satellite's side of a controller connection, without a socket.
@Suite struct ControllerSessionStateMachineTests {
    static let path = "/var/lib/depot-satellite/controller-id"

    static func session() -> ControllerSessionStateMachine {
        ControllerSessionStateMachine(hostname: "vulcan", controllerIDPath: Self.path)
    }

    static func hello(_ controllerID: String = "cluster-a", protocolVersion: Int = SatelliteProtocol.version) -> SatelliteMessage {
        .hello(Hello(protocolVersion: protocolVersion, controllerID: controllerID, nodeName: "vulcan"))
    }

    static func desired(_ version: UInt64) -> DesiredNodeState {
        DesiredNodeState(version: version, nodeName: "vulcan", storagePools: [], resources: [])
    }

    /// A session past its handshake.
    static func serving() -> ControllerSessionStateMachine {
        var session = Self.session()
        _ = session.opened(with: Self.hello(), knownController: "cluster-a")
        return session
    }

    @Test func firstControllerIsWelcomedAndRemembered() {
        var session = Self.session()
        let action = session.opened(with: Self.hello(), knownController: nil)
        #expect(action == .welcome(Hello(controllerID: "cluster-a", nodeName: "vulcan"), rememberController: "cluster-a"))
    }

    @Test func knownControllerIsWelcomedWithoutRememberingAgain() {
        var session = Self.session()
        let action = session.opened(with: Self.hello(), knownController: "cluster-a")
        #expect(action == .welcome(Hello(controllerID: "cluster-a", nodeName: "vulcan"), rememberController: nil))
    }

    @Test func anotherControllerIsRefused() {
        var session = Self.session()
        let action = session.opened(with: Self.hello("cluster-b"), knownController: "cluster-a")
        let message = "Node 'vulcan' belongs to controller cluster-a, not cluster-b. Remove \(Self.path) on the node to move it to another cluster."
        #expect(action == .refuse(Refusal(reason: .otherController, message: message)))
        // Still waiting for a hello: nothing it sends now is taken.
        #expect(session.received(.desiredState(Self.desired(1))) == .close(.unexpected("expected hello")))
    }

    @Test func anotherProtocolVersionIsRefusedBeforeTheControllerIsChecked() {
        var session = Self.session()
        let version = SatelliteProtocol.version + 1
        let action = session.opened(with: Self.hello("cluster-b", protocolVersion: version), knownController: "cluster-a")
        let message = "Satellite speaks protocol \(SatelliteProtocol.version), controller \(version); run the same Depot version on both."
        #expect(action == .refuse(Refusal(reason: .versionMismatch, message: message)))
    }

    @Test func connectionThatDoesNotStartWithHelloIsClosed() {
        var session = Self.session()
        #expect(session.opened(with: .ping(1), knownController: nil) == .close(.unexpected("expected hello")))
    }

    @Test func secondHelloIsNotAHandshake() {
        var session = Self.serving()
        #expect(session.opened(with: Self.hello(), knownController: "cluster-a") == .close(.unexpected("expected hello")))
        #expect(session.received(Self.hello()) == .close(.unexpected("satellite-bound message expected")))
    }

    @Test func onlyTheFirstDesiredStateOfASessionAsksForAFullPass() {
        var session = Self.serving()
        let first = session.received(.desiredState(Self.desired(1)))
        #expect(first == .apply(Self.desired(1), fullPass: true))
        let second = session.received(.desiredState(Self.desired(2)))
        #expect(second == .apply(Self.desired(2), fullPass: false))
        // A new connection starts over.
        var next = Self.serving()
        let again = next.received(.desiredState(Self.desired(3)))
        #expect(again == .apply(Self.desired(3), fullPass: true))
    }

    @Test func changesApplyToTheStateTheSessionHolds() {
        var session = Self.serving()
        let resource = DesiredResource(name: "data", layers: [.storage], flags: [], volumes: [])
        var second = Self.desired(2)
        second.resources = [resource]
        // Before a whole state there is nothing to change.
        var early = Self.serving()
        #expect(early.received(.desiredChange(DesiredStateChange(from: Self.desired(1), to: second))) == .close(.unexpected("a desired-state change before the first whole state")))
        _ = session.received(.desiredState(Self.desired(1)))
        #expect(session.received(.desiredChange(DesiredStateChange(from: Self.desired(1), to: second))) == .apply(second, fullPass: false))
        // A change for a state the satellite does not hold ends the session: the next one starts whole.
        let gap = session.received(.desiredChange(DesiredStateChange(from: Self.desired(5), to: Self.desired(6))))
        #expect(gap == .close(.unexpected(StateChangeError(expectedBase: 5, actualBase: 2).description)))
    }

    @Test func pingIsAnsweredAndPongIgnored() {
        var session = Self.serving()
        let ping = session.received(.ping(7))
        #expect(ping == .send(.pong(7)))
        let pong = session.received(.pong(7))
        #expect(pong == .ignore)
        // Neither counts as the first desired state.
        let desired = session.received(.desiredState(Self.desired(1)))
        #expect(desired == .apply(Self.desired(1), fullPass: true))
    }

    @Test(arguments: [
        SatelliteMessage.welcome(Welcome(satelliteVersion: "0.1.0", hostname: "kronos", capabilities: NodeCapabilitiesDTO())),
        .refusal(Refusal(reason: .otherController, message: "no")),
        .report(NodeReport(appliedVersion: 1, storagePools: [], resources: [])),
    ])
    func controllerBoundMessageClosesTheConnection(message: SatelliteMessage) {
        var session = Self.serving()
        let action = session.received(message)
        #expect(action == .close(.unexpected("satellite-bound message expected")))
    }
}
