import DepotModel
import DepotWire
import HashTreeCollections

/// What a change's caller is told about the satellites that act on it, as LINSTOR adds each
/// satellite's result to an API call's answer.
///
/// The links only say how waiting for a satellite ended (``SatelliteOutcome``); the words users
/// read live here, beside the other replies.
enum SatelliteReplies {
    /// How long a REST call waits for satellites before answering with a warning.
    static let waitLimit: Duration = .seconds(15)

    /// Waits (bounded by ``waitLimit`` per node) until the nodes' satellites have acted on published
    /// `version`, and tells how each affected resource fared there.
    ///
    /// - Parameter resources: the changed resources and their names (a deleted one is gone from the model).
    static func collect(
        nodes: Set<ObjectKey>, resources: [ResourceKey: String], version: UInt64, from satellites: any SatelliteConnections,
        publisher: SnapshotPublisher
    ) async -> [Reply] {
        var replies: [Reply] = []
        for node in nodes.sorted() {
            let name = publisher.snapshot.model.nodes[node]?.name ?? node.rawValue
            switch await satellites.outcome(of: node, handling: version, within: Self.waitLimit) {
            case .reported(let report):
                replies += Self.replies(for: resources.filter { $0.key.node == node }, from: report, in: publisher.snapshot.model)
            case .linkLost(let reason):
                replies.append(
                    Reply(
                        .warnNotConnected, "The link to satellite '\(name)' dropped before it reported the change.",
                        cause: reason.map { "The link failed: \($0)" },
                        details: "The change is stored; the satellite gets it when the link is back. 'node list' shows the link, 'resource list' when the change is done.",
                        objectReferences: ["Node": name]))
            case .stillApplying(let progress):
                replies.append(
                    Reply(
                        .warnNotConnected, "Satellite '\(name)' is still applying the change after \(Self.waitLimit).",
                        cause: progress.map { "It is working on \($0.summary)." } ?? "It is working on an earlier change first.",
                        details: "The change is stored and the link is up; 'resource list' shows when it is done.",
                        objectReferences: ["Node": name]))
            }
        }
        return replies
    }

    /// One reply per resource: what the satellite reported for it, failures with their command.
    static func replies(for resources: [ResourceKey: String], from report: NodeReport, in model: ClusterModel) -> [Reply] {
        resources.keys.sorted().map { key in
            let nodeName = model.nodes[key.node]?.name ?? key.node.rawValue
            let resourceName = resources[key] ?? key.resource.rawValue
            let references = ["Node": nodeName, "RscDfn": resourceName]
            let observed = report.resources.first { ObjectKey($0.name) == key.resource }
            let deleting = model.resources[key].map { $0.flags.contains(ResourceFlag.delete) } ?? true
            if deleting, let failure = observed?.failure {
                return Reply(
                    .failInUse, "(Node: '\(nodeName)') Resource '\(resourceName)' could not be removed: \(failure.message)",
                    cause: failure.commandLine.map { "The command failed: \($0)" },
                    correction: "Stop what uses the volume (unmount it, close it); the satellite retries and the resource goes then.",
                    details: failure.stderrTail, objectReferences: references, errorReportIDs: failure.reportID.map { [$0] } ?? [])
            }
            guard !deleting else {
                return Reply(.deleted, "Resource '\(resourceName)' removed from node '\(nodeName)'.", objectReferences: references)
            }
            if let failure = observed?.failure {
                let details = [
                    failure.commandLine.map { "Command: \($0)" }, failure.exitCode.map { "Exit code: \($0)" },
                    failure.stderrTail.map { "Standard error:\n\($0)" },
                ].compactMap { $0 }.joined(separator: "\n")
                return Reply(
                    .failUnknownError, "(Node: '\(nodeName)') Failed to apply resource '\(resourceName)': \(failure.message)",
                    cause: failure.commandLine.map { "The command failed: \($0)" }, correction: "Fix the cause on the node; the satellite retries on the next change.",
                    details: details.isEmpty ? nil : details, objectReferences: references, errorReportIDs: failure.reportID.map { [$0] } ?? [])
            }
            return Reply(.created, "Resource '\(resourceName)' is ready on node '\(nodeName)'.", objectReferences: references)
        }
    }
}
