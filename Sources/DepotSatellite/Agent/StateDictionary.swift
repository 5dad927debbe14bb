import Foundation

/// A dictionary the satellite keeps as one JSON file in its state directory, replaced whole (and
/// flushed) on every change, so what it says survives a crash or a restart.
struct StateDictionary<Value: Codable & Equatable & Sendable>: Sendable {
    private let path: String?
    private(set) var values: [String: Value]

    /// Reads `fileName` from `directory`, or starts empty (no directory: kept in memory only).
    init(directory: String?, fileName: String) {
        self.path = directory.map { "\($0)/\(fileName)" }
        guard let path = self.path, let data = FileManager.default.contents(atPath: path),
            let values = try? JSONDecoder().decode([String: Value].self, from: data)
        else {
            self.values = [:]
            return
        }
        self.values = values
    }

    subscript(key: String) -> Value? { self.values[key] }

    /// Sets or removes (`nil`) one entry, durably before it returns.
    mutating func set(_ value: Value?, for key: String) {
        guard self.values[key] != value else { return }
        self.values[key] = value
        guard let path = self.path, let data = try? JSONEncoder().encode(self.values) else { return }
        StateFile.replace(path, with: data)
    }
}
