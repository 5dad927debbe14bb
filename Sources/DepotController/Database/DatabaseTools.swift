public import DepotStore
import Foundation

/// The maintenance commands of `depot-controller` (`check`, `export-db`, `import-db`,
/// `migrate-db`): what an administrator runs on a stopped controller's database.
public enum DatabaseTools {
    /// What `check` found, and whether it moved the rows aside.
    public struct CheckResult: Sendable {
        public let findings: [DamagedRow]
        public let repaired: Bool
        /// Rows in the quarantine after the check, older ones included.
        public let quarantined: Int
    }

    /// Checks `location`; with `repair`, moves every finding into the quarantine in one transaction.
    public static func check(_ location: DatabaseLocation, repair: Bool) async throws -> CheckResult {
        guard repair else {
            return try await location.withStore { store in
                let check = DatabaseCheck(try await store.load())
                return CheckResult(findings: check.findings, repaired: false, quarantined: try await store.quarantined().count)
            }
        }
        return try await location.withExclusiveStore(purpose: "check --repair") { store in
            let check = DatabaseCheck(try await store.load())
            if !check.findings.isEmpty {
                try await store.quarantine(check.findings)
                let after = DatabaseCheck(try await store.load())
                guard after.findings.isEmpty else {
                    throw DatabaseToolError("After the repair \(after.findings.count) problem(s) remain (first: \(after.findings[0])).")
                }
            }
            return CheckResult(findings: check.findings, repaired: !check.findings.isEmpty, quarantined: try await store.quarantined().count)
        }
    }

    /// Writes the configuration in `location` to `file` as a ``DatabaseExport`` (mode 0600: it
    /// holds the sealed master key and token hashes).
    public static func export(_ location: DatabaseLocation, to file: String, depotVersion: String) async throws -> [String: Int] {
        let cluster = try await location.withStore { store in try await store.load() }
        return try Self.write(DatabaseExport(cluster: cluster, depotVersion: depotVersion), to: file)
    }

    /// Writes `export` to `file` atomically; returns the number of objects per table.
    static func write(_ export: DatabaseExport, to file: String) throws -> [String: Int] {
        let data = try export.encoded()
        let temporary = file + ".partial"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw DatabaseToolError("Cannot write \(temporary): \(String(cString: strerror(errno))).")
        }
        do {
            if FileManager.default.fileExists(atPath: file) { try FileManager.default.removeItem(atPath: file) }
            try FileManager.default.moveItem(atPath: temporary, toPath: file)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw DatabaseToolError("Cannot write \(file): \(error.localizedDescription)")
        }
        return Dictionary(uniqueKeysWithValues: StoredKinds.all.map { ($0.storage.table, export.cluster.objects(of: $0).count) })
    }

    /// Restores the export in `file` into `location`, which must be empty (or hold an earlier,
    /// interrupted import of the same file).
    public static func importDatabase(
        from file: String, into location: DatabaseLocation, progress: (String) -> Void = { _ in }
    ) async throws -> [String: Int] {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw DatabaseToolError("Cannot read \(file): \(String(cString: strerror(errno))).")
        }
        let export = try DatabaseExport.decode(data)
        let outcomes = try await location.withExclusiveStore(purpose: "import-db") { store in
            try await DatabaseTransfer.copy(export.cluster, into: store) { outcome in
                progress("\(outcome.table): \(outcome.digest.count) \(outcome.action.rawValue)")
            }
        }
        return Dictionary(uniqueKeysWithValues: outcomes.map { ($0.table, $0.digest.count) })
    }

    /// Copies the database at `source` into `target` (`migrate-db`), resumable and verified.
    public static func migrate(
        from source: DatabaseLocation, to target: DatabaseLocation, progress: (String) -> Void = { _ in }
    ) async throws -> [String: Int] {
        // The source stays locked until the copy is verified: nothing can change it meanwhile.
        try await source.withExclusiveStore(purpose: "migrate-db") { store in
            try await Self.copy(try await store.load(), into: target, sharingLockWith: source, progress: progress)
        }
    }

    private static func copy(
        _ cluster: StoredCluster, into target: DatabaseLocation, sharingLockWith source: DatabaseLocation, progress: (String) -> Void
    ) async throws -> [String: Int] {
        let copy = { (store: any ClusterStore) in
            try await DatabaseTransfer.copy(cluster, into: store) { outcome in
                progress("\(outcome.table): \(outcome.digest.count) \(outcome.action.rawValue), sha256 \(outcome.digest.sha256.prefix(16))")
            }
        }
        // Two SQLite files in one directory share its lock, which the source already holds.
        let outcomes =
            target.lockDirectory != nil && target.lockDirectory == source.lockDirectory
            ? try await target.withStore(copy) : try await target.withExclusiveStore(purpose: "migrate-db", copy)
        return Dictionary(uniqueKeysWithValues: outcomes.map { ($0.table, $0.digest.count) })
    }
}
