import DepotModel
import DepotReports
import DepotWire
import HashTreeCollections
import Hummingbird
import Logging

extension RESTRoutes {
    /// `controller set-log-level` and `node set-log-level`: the level changes at once, no restart.
    func registerLogLevel(on router: Router<Context>) {
        router.put("/v1/controller/config") { request, _ in
            let log: LogConfigDTO
            do throws(RejectedRequest) {
                log = try await Self.logSection(request)
            } catch {
                return error.response
            }
            let global = log.levelLinstorGlobal ?? log.levelGlobal
            guard let text = log.levelLinstor ?? log.level ?? global else {
                return Self.invalidLevel("Given loglevel is null.", object: .controllerConfig)
            }
            guard let level = RuntimeLogLevel.parse(text) else { return Self.invalidLevel("Unknown log level '\(text)'.", object: .controllerConfig) }
            self.logLevel.set(level)
            var replies = [Reply(.modified, "Successfully updated controller config")]
            if global != nil {
                for node in self.snapshot.model.nodes.values.sorted(by: { $0.key < $1.key }) where node.type.runsSatellite {
                    replies.append(await self.setSatelliteLogLevel(node, level))
                }
            }
            return APIResponse.replies(CallContext(.modify, .controllerConfig).apply(replies))
        }
        router.put("/v1/nodes/:node/config") { request, context in
            let log: LogConfigDTO
            do throws(RejectedRequest) {
                log = try await Self.logSection(request)
            } catch {
                return error.response
            }
            let node: Node
            do {
                node = try self.snapshot.model.node(self.parameter(context, "node"))
            } catch {
                return APIResponse.error(error, CallContext(.modify, .node))
            }
            guard let text = log.levelLinstor ?? log.level else { return Self.invalidLevel("Given loglevel is null.", object: .node) }
            guard let level = RuntimeLogLevel.parse(text) else { return Self.invalidLevel("Unknown log level '\(text)'.", object: .node) }
            return APIResponse.replies(CallContext(.modify, .node).apply([await self.setSatelliteLogLevel(node, level)]))
        }
    }

    /// Tells the node's satellite its new level over the link.
    private func setSatelliteLogLevel(_ node: Node, _ level: Logger.Level) async -> Reply {
        let answer = await self.state.satellites.ask(node.key, within: ErrorReportCollection.answerLimit) { id in
            SatelliteQuery(requestID: id, action: .setLogLevel, logLevel: level.rawValue)
        }
        guard let answer else {
            return Reply(
                .failNotConnected, "Failure while updating satellite config",
                cause:
                    "Satellite '\(node.name)' is \(self.state.satellites.status(of: node.key).rawValue.lowercased()) or did not answer within \(ErrorReportCollection.answerLimit).",
                correction: "Set the level again once 'node list' shows the node ONLINE.", objectReferences: ["Node": node.name])
        }
        if let failure = answer.failure {
            return Reply(.failUnknownError, "Failure while updating satellite config", cause: failure, objectReferences: ["Node": node.name])
        }
        return Reply(.modified, "Successfully updated satellite config", objectReferences: ["Node": node.name])
    }

    /// The `log` part of a config body; the rest of LINSTOR's config is not set through Depot's REST API.
    private static func logSection(_ request: Request) async throws(RejectedRequest) -> LogConfigDTO {
        var request = request
        return try await request.decodeBody(DaemonConfigDTO.self).log ?? LogConfigDTO()
    }

    private static func invalidLevel(_ message: String, object: ReturnCode.ObjectType) -> Response {
        APIResponse.replies(
            CallContext(.modify, object).apply([
                Reply(.failInvalidConfiguration, message, correction: "Use ERROR, WARN, INFO, DEBUG or TRACE.")
            ]))
    }
}
