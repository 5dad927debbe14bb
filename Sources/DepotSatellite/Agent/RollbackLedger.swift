import Foundation

/// The last rollback each resource finished, kept in the satellite's state directory.
///
/// A rollback throws away what was written since the snapshot: it must happen once. The controller
/// keeps asking until every node reported it, so a satellite that restarted or reconnected in the
/// middle must know it already did it.
struct RollbackLedger: Sendable {
    private let path: String?
    /// Resource name → the id of its last finished rollback.
    private(set) var done: [String: String]

    /// Reads the ledger from `directory`, or starts empty (no directory: kept in memory only).
    init(directory: String?) {
        self.path = directory.map { $0 + "/rollbacks.json" }
        guard let path = self.path, let data = FileManager.default.contents(atPath: path),
            let done = try? JSONDecoder().decode([String: String].self, from: data)
        else {
            self.done = [:]
            return
        }
        self.done = done
    }

    /// Records `id` as done for `resource`, durably before the caller reports it.
    mutating func record(_ id: String, of resource: String) {
        self.done[resource] = id
        guard let path = self.path, let data = try? JSONEncoder().encode(self.done) else { return }
        StateFile.replace(path, with: data)
    }
}
