import DepotModel
import DepotReports
import DepotWire
import HashTreeCollections

/// The cluster's error reports, gathered from the controller and every satellite that is online,
/// as LINSTOR's `GET /v1/error-reports` merges them.
///
/// Satellites are asked all at once and each answers within ``answerLimit``; one that does not is
/// left out of a list (and named in a deletion's answer) rather than stalling the call.
struct ErrorReportCollection: Sendable {
    /// The controller's reports; their `node_name` is its host name, as LINSTOR shows it.
    let controller: ErrorReporter
    let satellites: any SatelliteConnections
    let model: ClusterModel

    static let answerLimit: Duration = .seconds(5)
    /// The name by which LINSTOR's filters select the controller's own reports.
    static let controllerFilterName = "controller"

    /// The nodes `names` selects (case-insensitive; empty selects all), and whether the controller is among them.
    private func selection(_ names: [String]) -> (controller: Bool, nodes: [Node]) {
        let wanted = Set(names.map { $0.lowercased() })
        let controller = wanted.isEmpty || wanted.contains(Self.controllerFilterName) || wanted.contains(self.controller.nodeName.lowercased())
        let nodes = self.model.nodes.values.filter { wanted.isEmpty || wanted.contains($0.name.lowercased()) }.sorted { $0.key < $1.key }
        return (controller, nodes)
    }

    /// The reports of the selected nodes, oldest first; with `limit`, the newest `limit`.
    ///
    /// - Returns: the reports and how many matched in all.
    func list(nodes names: [String], filter: ErrorReportFilter, withContent: Bool, limit: Int?) async -> (reports: [ErrorReportDTO], total: Int) {
        let (withController, nodes) = self.selection(names)
        var reports: [ErrorReportDTO] = []
        var total = 0
        if withController {
            let own = self.controller.list(filter, withContent: withContent, limit: limit)
            reports += own.reports.map { report in
                var report = report
                report.nodeName = self.controller.nodeName
                return report
            }
            total += own.total
        }
        for (node, answer) in await self.ask(nodes, action: .listErrorReports, filter: filter, withContent: withContent, limit: limit) {
            guard let answer else { continue }
            reports += answer.reports.map { report in
                var report = report
                report.nodeName = node.name
                report.module = ErrorReporter.Module.satellite.rawValue
                return report
            }
            total += answer.total
        }
        reports.sort { ($0.errorTime, $0.id) < ($1.errorTime, $1.id) }
        if let limit, reports.count > limit { reports = Array(reports.suffix(max(0, limit))) }
        return (reports, total)
    }

    /// Deletes what `filter` matches on the selected nodes; one reply per node that deleted some.
    func delete(nodes names: [String], filter: ErrorReportFilter) async -> [Reply] {
        // LINSTOR never deletes everything by a request without criteria.
        guard !filter.isEmpty else { return [Reply(.infoNoop, "No error reports deleted.")] }
        let (withController, nodes) = self.selection(names)
        var replies: [Reply] = []
        if withController {
            let deleted = self.controller.delete(filter)
            if !deleted.isEmpty { replies.append(Reply(.deleted, "Deleted \(deleted.count) error-report(s)")) }
        }
        for (node, answer) in await self.ask(nodes, action: .deleteErrorReports, filter: filter, withContent: false, limit: nil) {
            guard let answer else {
                replies.append(
                    Reply(
                        .warnNotConnected, "\(node.name): error reports not deleted: the satellite did not answer.",
                        cause: "Its link is \(self.satellites.status(of: node.key).rawValue.lowercased()), or it did not answer within \(Self.answerLimit).",
                        correction: "Delete them again once 'node list' shows the node ONLINE.", objectReferences: ["Node": node.name]))
                continue
            }
            if !answer.deleted.isEmpty {
                replies.append(Reply(.deleted, "\(node.name): Deleted \(answer.deleted.count) error-report(s)", objectReferences: ["Node": node.name]))
            }
        }
        return replies.isEmpty ? [Reply(.infoNoop, "No error reports deleted.")] : replies
    }

    /// Asks every node at once; each answer, or `nil` for a node that did not answer in time.
    private func ask(
        _ nodes: [Node], action: SatelliteQuery.Action, filter: ErrorReportFilter, withContent: Bool, limit: Int?
    ) async -> [(Node, SatelliteAnswer?)] {
        let satellites = self.satellites
        return await withTaskGroup(of: (Int, SatelliteAnswer?).self) { group in
            for (index, node) in nodes.enumerated() where node.type.runsSatellite {
                let key = node.key
                group.addTask {
                    let answer = await satellites.ask(key, within: Self.answerLimit) { id in
                        SatelliteQuery(requestID: id, action: action, filter: filter, withContent: withContent, limit: limit)
                    }
                    return (index, answer)
                }
            }
            var answers: [Int: SatelliteAnswer?] = [:]
            for await (index, answer) in group { answers[index] = answer }
            return answers.keys.sorted().map { (nodes[$0], answers[$0] ?? nil) }
        }
    }
}
