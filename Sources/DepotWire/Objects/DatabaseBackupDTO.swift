/// LINSTOR's `DatabaseBackupRequest`, the body of `POST /v1/controller/database/export` and
/// `POST /v1/controller/backup/db`: the file's name, without its suffix.
public struct DatabaseBackupRequestDTO: Codable, Sendable, Equatable {
    public var backupName: String?

    public init(backupName: String? = nil) { self.backupName = backupName }

    enum CodingKeys: String, CodingKey {
        case backupName = "backup_name"
    }
}
