import Foundation

/// The volumes this satellite has created, kept in its state directory.
///
/// Not authoritative (the controller's desired state is): it only lets the satellite find volumes
/// whose resources were deleted while it was down, so that it can remove them after a restart.
struct VolumeLedger: Sendable {
    struct Entry: Codable, Hashable, Sendable {
        var resourceName: String
        var volumeNumber: Int
        var pool: String
        var providerKind: String
        var backingName: String
    }

    private let path: String?
    private(set) var entries: Set<Entry>

    /// Reads the ledger from `directory`, or starts empty (no directory: kept in memory only).
    init(directory: String?) {
        self.path = directory.map { $0 + "/volumes.json" }
        guard let path = self.path, let data = FileManager.default.contents(atPath: path),
            let entries = try? JSONDecoder().decode([Entry].self, from: data)
        else {
            self.entries = []
            return
        }
        self.entries = Set(entries)
    }

    mutating func insert(_ entry: Entry) {
        guard self.entries.insert(entry).inserted else { return }
        self.save()
    }

    mutating func remove(_ entry: Entry) {
        guard self.entries.remove(entry) != nil else { return }
        self.save()
    }

    private func save() {
        guard let path = self.path else { return }
        let sorted = self.entries.sorted { ($0.resourceName, $0.volumeNumber) < ($1.resourceName, $1.volumeNumber) }
        guard let data = try? JSONEncoder().encode(sorted) else { return }
        FileManager.default.createFile(atPath: path + ".tmp", contents: data)
        _ = rename(path + ".tmp", path)
    }
}
