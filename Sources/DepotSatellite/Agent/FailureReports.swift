public import DepotReports
import DepotWire
import Synchronization

/// Gives each failure a satellite reports its error report, once.
///
/// An apply retries what failed on every desired state and the DRBD monitor re-sends reports in
/// between: the same failure is reported to the controller many times but written once. A failure
/// that changes (another command, another message) or comes back after it cleared gets a new report.
public final class FailureReports: Sendable {
    public let reporter: ErrorReporter
    /// Each failing object's failure (without its report id) and that failure's report.
    private let known = Mutex<[String: (failure: CommandFailureDTO, reportID: String)]>([:])

    public init(reporter: ErrorReporter) {
        self.reporter = reporter
    }

    /// `report` with every failure carrying its report's id; new failures are written first.
    func annotate(_ report: NodeReport) -> NodeReport {
        var report = report
        var seen = Set<String>()
        for index in report.resources.indices {
            guard let failure = report.resources[index].failure else { continue }
            let name = report.resources[index].name
            report.resources[index].failure = self.reported(
                failure, key: "resource/" + name, context: [.init("Resource", name), .init("Desired state version", String(report.appliedVersion))],
                seen: &seen)
        }
        for index in report.storagePools.indices {
            guard let failure = report.storagePools[index].failure else { continue }
            let name = report.storagePools[index].name
            report.storagePools[index].failure = self.reported(failure, key: "pool/" + name, context: [.init("Storage pool", name)], seen: &seen)
        }
        for index in report.snapshots.indices {
            guard let failure = report.snapshots[index].failure else { continue }
            let snapshot = report.snapshots[index]
            report.snapshots[index].failure = self.reported(
                failure, key: "snapshot/\(snapshot.resource)/\(snapshot.name)",
                context: [.init("Resource", snapshot.resource), .init("Snapshot", snapshot.name)], seen: &seen)
        }
        // What no longer fails is forgotten: if it fails again, that is a new report.
        self.known.withLock { known in known = known.filter { seen.contains($0.key) } }
        return report
    }

    private func reported(
        _ failure: CommandFailureDTO, key: String, context: [Incident.ContextEntry], seen: inout Set<String>
    ) -> CommandFailureDTO {
        seen.insert(key)
        var bare = failure
        bare.reportID = nil
        if let known = self.known.withLock({ $0[key] }), known.failure == bare {
            bare.reportID = known.reportID
            return bare
        }
        let command = bare.commandLine.map { Incident.FailedCommand(commandLine: $0, exitCode: bare.exitCode, stderrTail: bare.stderrTail) }
        let id = self.reporter.record(
            Incident(kind: command == nil ? "SatelliteFailure" : "CommandFailed", message: bare.message, context: context, command: command))
        self.known.withLock { $0[key] = (bare, id) }
        bare.reportID = id
        return bare
    }
}
