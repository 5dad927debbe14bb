import Foundation

/// The volumes being filled with a copy of a snapshot, kept in the satellite's state directory.
///
/// A copy into a new volume takes as long as the data is large, and the volume exists before the
/// copy is done: a satellite killed meanwhile must not take the half-filled volume for a finished
/// one. A volume stays in here from before it is created until its copy (and anything done to the
/// copied data) is complete; one found here is copied again.
struct CopyLedger: Sendable {
    private let path: String?
    /// `<pool>/<backing name>` of each volume whose copy is not complete.
    private(set) var pending: Set<String>

    /// Reads the ledger from `directory`, or starts empty (no directory: kept in memory only).
    init(directory: String?) {
        self.path = directory.map { $0 + "/copies.json" }
        guard let path = self.path, let data = FileManager.default.contents(atPath: path),
            let pending = try? JSONDecoder().decode([String].self, from: data)
        else {
            self.pending = []
            return
        }
        self.pending = Set(pending)
    }

    static func key(pool: String, backingName: String) -> String { pool + "/" + backingName }

    /// Records a copy as started, durably before the volume is created.
    mutating func start(_ key: String) {
        guard self.pending.insert(key).inserted else { return }
        self.save()
    }

    mutating func finish(_ key: String) {
        guard self.pending.remove(key) != nil else { return }
        self.save()
    }

    private func save() {
        guard let path = self.path, let data = try? JSONEncoder().encode(self.pending.sorted()) else { return }
        StateFile.replace(path, with: data)
    }
}
