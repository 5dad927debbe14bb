import DepotSQLite
import DepotStore
import Foundation

extension ClusterState {
    /// The database's content as an export: read in one consistent snapshot while the controller
    /// keeps serving.
    func databaseExport() async throws -> DatabaseExport {
        DatabaseExport(cluster: try await self.store.load(), depotVersion: DepotController.version)
    }

    /// Online backup of the embedded database into a SQLite file; nil when the engine has none
    /// (a PostgreSQL server is backed up with its own tools, or exported).
    func backupDatabase(to path: String) throws -> Bool {
        guard let sqlite = self.store as? SQLiteStore else { return false }
        try sqlite.backup(to: path)
        return true
    }
}
