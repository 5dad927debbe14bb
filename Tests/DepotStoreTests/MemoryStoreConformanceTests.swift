import DepotStore
import DepotTestSupport
import Synchronization
import Testing

/// The memory store that controller tests use passes the same suite as the real backends, so that
/// what those tests see is what a database would give.
@Suite struct MemoryStoreConformanceTests {
    @Test(arguments: StoreConformance.checks)
    func conformance(_ check: StoreConformance.Check) async throws {
        try await check.run(MemoryHarness())
    }
}

/// Memory stores for the suite: a database is a store's contents, reopened on every open.
private struct MemoryHarness: StoreHarness {
    func makeDatabase() async throws -> any TestDatabase { MemoryDatabase() }

    var earlierSchemaVersions: [Int] { [] }

    var storesEncodedRows: Bool { false }

    func makeDatabase(atSchema version: Int, holding objects: [any StoredObject]) async throws
        -> (database: any TestDatabase, held: [any StoredObject])
    {
        Issue.record("a memory store has no schema")
        return (MemoryDatabase(), [])
    }
}

private final class MemoryDatabase: TestDatabase {
    private let store = MemoryStore()
    private let opened = Mutex(false)

    func open() async throws -> any ClusterStore {
        self.opened.withLock { opened in
            defer { opened = true }
            return opened ? self.store.reopened() : self.store
        }
    }

    func refuseWrites(of kind: any StoredObject.Type) async throws {
        self.store.refuseWrites(of: kind)
    }

    func corrupt(_ kind: any StoredObject.Type, key: [String]) async throws -> Bool { false }

    func destroy() {}
}
