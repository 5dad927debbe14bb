import Foundation

/// Node-ids of removed peers whose bitmap slot is still to be freed, per resource, kept in the
/// satellite's state directory.
///
/// Once `drbdadm adjust` deleted a removed peer's connection, the kernel no longer shows that the
/// peer existed; only this record does. Kept on disk, a satellite restarted between the adjust and
/// the `forget-peer` still frees the slot, so a later resize does not stall on a peer that is gone.
struct PeerSlotsToForget: Sendable {
    private let path: String?
    private(set) var slots: [String: Set<Int>]

    /// Reads the record from `directory`, or starts empty (no directory: kept in memory only).
    init(directory: String?) {
        self.path = directory.map { $0 + "/drbd-peers-to-forget.json" }
        guard let path = self.path, let data = FileManager.default.contents(atPath: path),
            let slots = try? JSONDecoder().decode([String: Set<Int>].self, from: data)
        else {
            self.slots = [:]
            return
        }
        self.slots = slots
    }

    subscript(resource: String) -> Set<Int> { self.slots[resource] ?? [] }

    /// Records that `resource` must free the slots of `dropped` and no longer those of `wanted`.
    mutating func update(_ resource: String, dropped: Set<Int>, wanted: Set<Int>) {
        let updated = self[resource].union(dropped).subtracting(wanted)
        guard updated != self[resource] else { return }
        self.slots[resource] = updated.isEmpty ? nil : updated
        self.save()
    }

    mutating func forgotten(_ resource: String, nodeID: Int) {
        self.update(resource, dropped: [], wanted: [nodeID])
    }

    mutating func removeAll(of resource: String) {
        guard self.slots.removeValue(forKey: resource) != nil else { return }
        self.save()
    }

    private func save() {
        guard let path = self.path, let data = try? JSONEncoder().encode(self.slots) else { return }
        FileManager.default.createFile(atPath: path + ".tmp", contents: data)
        _ = rename(path + ".tmp", path)
    }
}
