import DepotModel
import DepotWire
import Foundation
import Hummingbird

extension RESTRoutes {
    /// LINSTOR's `POST /v1/controller/database/export` and the older `backup/db`: a file in the
    /// controller's data directory (LINSTOR writes to `/var/lib/linstor/`).
    func registerDatabase(on router: Router<Context>) {
        // Depot's own: what the controller left out at start and why, for `depot node list` and
        // `depot resource list` to show.
        router.get("/v1/controller/quarantine") { _, _ in
            APIResponse.json(self.snapshot.model.quarantine.rows)
        }
        router.post("/v1/controller/database/export") { request, _ in
            let name: String
            do throws(RejectedRequest) {
                name = try await Self.backupName(request, suffix: ".json", default: "linstordb-backup")
            } catch {
                return error.response
            }
            let path = self.databaseDirectory + "/" + name
            do {
                let counts = try DatabaseTools.write(try await self.state.databaseExport(), to: path)
                let total = counts.values.reduce(0, +)
                return APIResponse.replies(
                    [Reply(.success, "Exported database to \(path)", details: "\(total) objects.", objectReferences: ["backup_location": path])],
                    successStatus: .created)
            } catch {
                return APIResponse.replies([
                    Reply(
                        .failInvalidDatabaseExportFile, "The database could not be exported to \(path).", cause: "\(error)",
                        correction: "Check the data directory's free space and permissions.")
                ])
            }
        }
        router.post("/v1/controller/backup/db") { request, _ in
            let name: String
            do throws(RejectedRequest) {
                name = try await Self.backupName(request, suffix: ".sqlite", default: "linstordb-backup")
            } catch {
                return error.response
            }
            let path = self.databaseDirectory + "/" + name
            do {
                guard try await self.state.backupDatabase(to: path) else {
                    return APIResponse.replies([
                        Reply(
                            .failUnknownError, "Only the embedded SQLite database is supported for online backup.",
                            correction: "Use POST /v1/controller/database/export (python-linstor's controller_exportdb), which works with every engine.")
                    ])
                }
                return APIResponse.replies(
                    [Reply(ReturnCode(rawValue: ReturnCode.maskCreate), "Database backup created: \(path)", objectReferences: ["backup_location": path])],
                    successStatus: .created)
            } catch {
                return APIResponse.replies([Reply(.failSQL, "The database backup to \(path) failed.", cause: "\(error)")])
            }
        }
    }

    /// The request's `backup_name` as a file name in the data directory, with `suffix`; a
    /// timestamped name when it has none. A name with a path in it is refused: the file stays in
    /// the data directory (LINSTOR takes any path relative to its own).
    static func backupName(_ request: Request, suffix: String, default prefix: String) async throws(RejectedRequest) -> String {
        var request = request
        let body = try await request.decodeBodyIfPresent(DatabaseBackupRequestDTO.self) ?? DatabaseBackupRequestDTO()
        guard let given = body.backupName else {
            let stamp = DateFormatter.backupStamp.string(from: Date())
            return "\(prefix)-\(stamp)\(suffix)"
        }
        guard !given.isEmpty, !given.contains("/"), !given.hasPrefix("."), !given.contains("\0") else {
            throw RejectedRequest(
                response: APIResponse.replies([
                    Reply(
                        .failInvalidDatabaseExportFile, "The parameter '\(given)' is not a valid backup name.",
                        correction: "Give a file name without a directory; the file is written to the controller's data directory.")
                ]))
        }
        return given.hasSuffix(suffix) ? given : given + suffix
    }
}

extension DateFormatter {
    /// LINSTOR's `DTF_NO_SPACE`: `yyyy-MM-dd_HH-mm-ss`, in UTC.
    fileprivate static let backupStamp: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd_HH-mm-ss"
        return formatter
    }()
}
