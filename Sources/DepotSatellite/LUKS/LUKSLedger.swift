/// The dm-crypt mappings this satellite opened, and the passphrase generation each header takes,
/// kept in its state directory.
///
/// Only mappings listed here are ever closed (an admin's own dm-crypt devices are not Depot's),
/// and a restarted satellite knows which headers already take the current passphrase without
/// running a key slot's PBKDF again for every volume.
struct LUKSLedger: Sendable {
    /// Mapping name → the passphrase generation its header takes.
    private var entries: StateDictionary<Int>

    /// Reads the ledger from `directory`, or starts empty (no directory: kept in memory only).
    init(directory: String?) {
        self.entries = StateDictionary(directory: directory, fileName: "luks.json")
    }

    var generations: [String: Int] { self.entries.values }

    mutating func record(_ name: String, generation: Int) {
        self.entries.set(generation, for: name)
    }

    mutating func forget(_ name: String) {
        self.entries.set(nil, for: name)
    }
}
