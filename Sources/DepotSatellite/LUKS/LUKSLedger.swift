import Foundation

/// The dm-crypt mappings this satellite opened, and the passphrase generation each header takes,
/// kept in its state directory.
///
/// Only mappings listed here are ever closed (an admin's own dm-crypt devices are not Depot's),
/// and a restarted satellite knows which headers already take the current passphrase without
/// running a key slot's PBKDF again for every volume.
struct LUKSLedger: Sendable {
    private let path: String?
    /// Mapping name → the passphrase generation its header takes.
    private(set) var generations: [String: Int]

    /// Reads the ledger from `directory`, or starts empty (no directory: kept in memory only).
    init(directory: String?) {
        self.path = directory.map { $0 + "/luks.json" }
        guard let path = self.path, let data = FileManager.default.contents(atPath: path),
            let generations = try? JSONDecoder().decode([String: Int].self, from: data)
        else {
            self.generations = [:]
            return
        }
        self.generations = generations
    }

    mutating func record(_ name: String, generation: Int) {
        guard self.generations[name] != generation else { return }
        self.generations[name] = generation
        self.save()
    }

    mutating func forget(_ name: String) {
        guard self.generations.removeValue(forKey: name) != nil else { return }
        self.save()
    }

    private func save() {
        guard let path = self.path, let data = try? JSONEncoder().encode(self.generations) else { return }
        StateFile.replace(path, with: data)
    }
}
