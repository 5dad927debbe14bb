import Foundation
import Synchronization

/// The highest fencing token a controller has shown this node, kept in the state directory.
///
/// Controllers that share a database take turns through a lease; each takeover raises the token. A
/// controller showing a lower token than one seen before has been deposed: the node refuses it,
/// and a session of an older token stops taking orders once a newer controller said hello.
final class FencingGate: Sendable {
    private let path: String?
    private let highest: Mutex<Int64>

    /// - Parameter directory: the state directory (nil: kept in memory only).
    init(directory: String?) {
        self.path = directory.map { $0 + "/fencing-token" }
        let stored = self.path.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }
        self.highest = Mutex(stored.flatMap { Int64($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0)
    }

    /// Admits a controller with `token` (nil: a lone controller, always admitted) and raises the
    /// mark to it; false when a controller with a higher token was seen.
    func admit(_ token: Int64?) -> Bool {
        guard let token else { return true }
        let raised = self.highest.withLock { highest -> Bool? in
            guard token >= highest else { return nil }
            defer { highest = token }
            return token > highest
        }
        guard let raised else { return false }
        if raised, let path = self.path {
            try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: path, contents: Data("\(token)\n".utf8))
        }
        return true
    }

    /// Whether a session admitted with `token` may still take orders.
    func isCurrent(_ token: Int64?) -> Bool {
        guard let token else { return true }
        return self.highest.withLock { token >= $0 }
    }

    var highestToken: Int64 { self.highest.withLock { $0 } }
}
