import DepotModel
import DepotReports
import DepotStore
import Logging

extension ClusterState {
    /// Tells the administrator, in the log and in one error report, which rows the controller left
    /// out at start and how to repair them.
    static func announce(_ quarantine: StartupQuarantine, logger: Logger, errorReports: ErrorReporter) {
        guard !quarantine.rows.isEmpty else { return }
        let reportID = errorReports.record(
            Incident(
                kind: "DatabaseQuarantine",
                message: "\(quarantine.rows.count) stored object(s) were left out at start and are not served; "
                    + "the nodes keep their volumes untouched. Stop the controller and run `depot-controller check --repair` "
                    + "to move them into the quarantine (table quarantined_rows), or restore a database export.",
                context: quarantine.rows.map { Incident.ContextEntry("Left out", $0.description) }))
        for row in quarantine.rows {
            logger.error(
                "stored object left out at start", metadata: ["table": "\(row.table)", "key": "\(row.key.joined(separator: "/"))", "reason": "\(row.reason)"])
        }
        logger.error(
            "the controller serves everything else; repair with depot-controller check --repair",
            metadata: ["left-out": "\(quarantine.rows.count)", "error-report": "\(reportID)"])
    }

    /// The refusal of a change that would overwrite a row left out at start.
    static func quarantined(_ row: DamagedRow) -> DepotError {
        DepotError(
            .failInUse, "The change would overwrite \(row.table) '\(row.key.joined(separator: "/"))', which was left out at start.",
            cause: "The stored row is unusable: \(row.reason).",
            correction: "Stop the controller and run `depot-controller check --repair` to move the row into the quarantine, then retry.")
    }
}
