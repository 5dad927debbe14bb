import DepotLink
import DepotWire

/// The satellite's side of one controller connection: which message may come now, and what to do with it.
///
/// A value with pure transitions: ``SatelliteAgent`` reads the frames, asks this machine, and performs
/// the returned action (send, apply, remember the controller, close). The node belongs to the first
/// controller that connects; another controller, or one speaking another protocol version, is refused
/// so that two clusters never fight over a node.
struct ControllerSessionStateMachine: Sendable {
    private enum State {
        case awaitingHello
        /// Handshake done; the first desired state of a session asks for a full pass, since the node
        /// may have changed while no controller watched. Later ones come as changes to `current`.
        case serving(current: DesiredNodeState?)
    }

    private var state = State.awaitingHello
    /// The node's name for itself, in refusals.
    let hostname: String
    /// Where the node keeps the identity of the controller it belongs to, in refusals.
    let controllerIDPath: String

    init(hostname: String, controllerIDPath: String) {
        self.hostname = hostname
        self.controllerIDPath = controllerIDPath
    }

    /// What the agent does with the controller's first message.
    enum HandshakeAction: Equatable {
        /// Welcome the controller; with an identity, first remember it as the node's controller.
        case welcome(Hello, rememberController: String?)
        /// Send this refusal, then close with ``LinkError/refused(_:)``.
        case refuse(Refusal)
        case close(LinkError)
    }

    /// What the agent does with a message after the handshake.
    enum Action: Equatable {
        /// Hand the desired state to the apply loop.
        case apply(DesiredNodeState, fullPass: Bool)
        case send(SatelliteMessage)
        /// List or delete error reports and send the answer.
        case answer(SatelliteQuery)
        case ignore
        case close(LinkError)
    }

    /// The controller's first message, which must be its hello.
    ///
    /// - Parameter knownController: the controller this node belongs to, if it belongs to one yet.
    mutating func opened(with message: SatelliteMessage, knownController: String?) -> HandshakeAction {
        guard case .awaitingHello = self.state, case .hello(let hello) = message else { return .close(.unexpected("expected hello")) }
        if let refusal = self.refusal(for: hello, knownController: knownController) { return .refuse(refusal) }
        self.state = .serving(current: nil)
        return .welcome(hello, rememberController: knownController == nil ? hello.controllerID : nil)
    }

    /// The controller sent `message` after the handshake.
    mutating func received(_ message: SatelliteMessage) -> Action {
        guard case .serving(let current) = self.state else { return .close(.unexpected("expected hello")) }
        switch message {
        case .desiredState(let desired):
            self.state = .serving(current: desired)
            return .apply(desired, fullPass: current == nil)
        case .desiredChange(let change):
            guard let current else { return .close(.unexpected("a desired-state change before the first whole state")) }
            do {
                let desired = try change.applied(to: current)
                self.state = .serving(current: desired)
                return .apply(desired, fullPass: false)
            } catch {
                return .close(.unexpected(error.description))
            }
        case .ping(let token): return .send(.pong(token))
        case .pong: return .ignore
        case .query(let query): return .answer(query)
        default: return .close(.unexpected("satellite-bound message expected"))
        }
    }

    /// Refuses a controller of another protocol version, or another controller than the one this node belongs to.
    private func refusal(for hello: Hello, knownController: String?) -> Refusal? {
        guard hello.protocolVersion == SatelliteProtocol.version else {
            return Refusal(
                reason: .versionMismatch,
                message: "Satellite speaks protocol \(SatelliteProtocol.version), controller \(hello.protocolVersion); run the same Depot version on both.")
        }
        if let knownController, knownController != hello.controllerID {
            return Refusal(
                reason: .otherController,
                message:
                    "Node '\(self.hostname)' belongs to controller \(knownController), not \(hello.controllerID). Remove \(self.controllerIDPath) on the node to move it to another cluster."
            )
        }
        return nil
    }
}
