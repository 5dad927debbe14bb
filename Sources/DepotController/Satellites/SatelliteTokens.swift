import DepotModel
import DepotWire
import HashTreeCollections
import Logging

/// LINSTOR's satellite tokens: with token authentication on, every connected satellite holds a
/// REST token of its own and writes it where the clients on its node read one
/// (`/var/lib/linstor.d/auth.json`), so that python-linstor, `depot` and the platform plugins
/// there keep working. A satellite gets a new token each time its link comes up (the old text
/// stops working), and none while it is away.
struct SatelliteTokens: Sendable {
    let state: ClusterState
    var logger = Logger(label: "depot.controller")

    /// How long a satellite may take to write its token.
    static let answerLimit: Duration = .seconds(10)

    /// Makes a new token for `node`, stores its hash and sends its text to the satellite.
    ///
    /// - Returns: why the node has no usable token; nil when it has one, or when token
    ///   authentication is off.
    func deliver(to node: ObjectKey) async -> Reply? {
        let model = self.state.publisher.snapshot.model
        guard ClusterTransaction.isTrueOrYes(model.controllerProps[ClusterTransaction.tokenAuthEnabledKey]), let current = model.nodes[node] else {
            return nil
        }
        let token = IssuedToken.make()
        let stored = await self.state.mutate(CallContext(.modify, .node), waitForSatellites: false) {
            (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
            transaction.replaceSatelliteToken(of: node, with: token) ? [Reply(.modified, "Satellite token replaced")] : []
        }
        if let failure = stored.first(where: { $0.code.isError }) { return failure }
        guard !stored.isEmpty else { return nil }
        let answer = await self.state.satellites.ask(node, within: Self.answerLimit) { id in
            SatelliteQuery(requestID: id, action: .applyRESTToken, restToken: token.text)
        }
        let problem: String? =
            switch answer {
            case nil: "the satellite did not answer within \(Self.answerLimit)"
            case let answer?: answer.failure
            }
        guard let problem else {
            self.logger.info("satellite token delivered", metadata: ["node": "\(current.name)"])
            return nil
        }
        self.logger.warning("satellite token not delivered", metadata: ["node": "\(current.name)", "reason": "\(problem)"])
        return Reply(
            .warnNotConnected, "Satellite '\(current.name)' did not take its REST token.", cause: problem,
            correction: "Clients on that node cannot use its token file until the satellite reconnects or the satellite tokens are re-initialized.",
            objectReferences: ["Node": current.name])
    }

    /// A token for every connected satellite; the others get theirs when they connect.
    func deliverToConnectedSatellites() async -> [Reply] {
        let nodes = self.state.publisher.snapshot.model.nodes.values.filter { $0.type.runsSatellite }.map(\.key).sorted()
        var problems: [Reply] = []
        for node in nodes where self.state.satellites.status(of: node) == .online {
            if let problem = await self.deliver(to: node) { problems.append(problem) }
        }
        return problems
    }
}
