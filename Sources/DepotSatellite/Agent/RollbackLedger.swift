/// The last rollback each resource finished, kept in the satellite's state directory.
///
/// A rollback throws away what was written since the snapshot: it must happen once. The controller
/// keeps asking until every node reported it, so a satellite that restarted or reconnected in the
/// middle must know it already did it.
struct RollbackLedger: Sendable {
    /// Resource name → the id of its last finished rollback.
    private(set) var done: StateDictionary<String>

    /// Reads the ledger from `directory`, or starts empty (no directory: kept in memory only).
    init(directory: String?) {
        self.done = StateDictionary(directory: directory, fileName: "rollbacks.json")
    }

    /// Records `id` as done for `resource`, durably before the caller reports it.
    mutating func record(_ id: String, of resource: String) {
        self.done.set(id, for: resource)
    }
}
