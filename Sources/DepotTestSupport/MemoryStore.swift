public import DepotStore
import Synchronization

/// A ``ClusterStore`` kept in memory, for tests that need no database.
///
/// It keeps what is committed (so it passes the same conformance suite as the real backends), can
/// be told to fail commits, and can take a while per commit so that concurrent changes pile up.
public final class MemoryStore: ClusterStore {
    /// The contents, shared by every store opened on them (see ``reopened()``).
    private final class Contents: Sendable {
        struct State {
            var rows: [StoredKind: [[String]: any StoredObject]] = [:]
            var isFailing = false
            var refused: Set<StoredKind> = []
            var commits = 0
            var changes = 0
            var quarantined: [QuarantinedRow] = []
        }

        let state = Mutex(State())
    }

    private let contents: Contents
    private let isNew: Bool
    /// How long a commit takes, so that concurrent changes pile up behind it.
    public let commitDelay: Duration

    /// A new, empty store.
    public convenience init(commitDelay: Duration = .zero) {
        self.init(contents: Contents(), isNew: true, commitDelay: commitDelay)
    }

    private init(contents: Contents, isNew: Bool, commitDelay: Duration) {
        self.contents = contents
        self.isNew = isNew
        self.commitDelay = commitDelay
    }

    /// The same contents opened again, as after a controller restart.
    public func reopened() -> MemoryStore {
        MemoryStore(contents: self.contents, isNew: false, commitDelay: self.commitDelay)
    }

    public func load() async throws -> StoredCluster {
        self.contents.state.withLock { state in
            var cluster = StoredCluster()
            cluster.isNewDatabase = self.isNew
            for kind in StoredKinds.all {
                cluster.set(Array((state.rows[kind.storage] ?? [:]).values), of: kind)
            }
            return cluster
        }
    }

    public func commit(_ changes: [StoreChange]) async throws {
        if self.commitDelay > .zero { try await Task.sleep(for: self.commitDelay) }
        try self.contents.state.withLock { state in
            if state.isFailing { throw Failure() }
            if changes.contains(where: { state.refused.contains($0.kind.storage) }) { throw Failure() }
            for change in changes {
                state.rows[change.kind.storage, default: [:]][change.keyValues] = change.object
            }
            state.commits += 1
            state.changes += changes.count
        }
    }

    /// Moves objects aside; a memory store holds no row that fails to decode, only objects that
    /// contradict the rest.
    public func quarantine(_ rows: [DamagedRow]) async throws {
        self.contents.state.withLock { state in
            for row in rows {
                guard let kind = StoredKinds.all.first(where: { $0.storage.table == row.table }),
                    let object = state.rows[kind.storage]?.removeValue(forKey: row.key)
                else { continue }
                state.quarantined.append(QuarantinedRow(row: row, content: "\(object)", quarantinedAt: "now"))
            }
        }
    }

    public func quarantined() async throws -> [QuarantinedRow] {
        self.contents.state.withLock { $0.quarantined }
    }

    /// Makes every later commit fail (or succeed again).
    public func failCommits(_ failing: Bool) { self.contents.state.withLock { $0.isFailing = failing } }

    /// Makes every later commit that touches `kind` fail.
    public func refuseWrites(of kind: any StoredObject.Type) { _ = self.contents.state.withLock { $0.refused.insert(kind.storage) } }

    /// How many commits succeeded.
    public var commits: Int { self.contents.state.withLock { $0.commits } }

    /// How many changes the successful commits held.
    public var changes: Int { self.contents.state.withLock { $0.changes } }

    /// The error of a commit the store was told to fail.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String { "disk full (test)" }
    }
}
