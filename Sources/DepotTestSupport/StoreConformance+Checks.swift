import DepotStore
import Testing

extension StoreConformance {
    static func newDatabase(_ harness: any StoreHarness) async throws {
        let database = try await harness.makeDatabase()
        defer { database.destroy() }
        let first = try await database.open().load()
        #expect(first.isNewDatabase)
        for kind in StoredKinds.all {
            #expect(first.objects(of: kind).isEmpty, "a new database holds no \(kind.storage.table)")
        }
        #expect(try await database.open().load().isNewDatabase == false, "only the first start sees a new database")
    }

    static func roundTrip(_ harness: any StoreHarness) async throws {
        let database = try await harness.makeDatabase()
        defer { database.destroy() }
        let store = try await database.open()
        let first = try Self.samples(name: "Alpha")
        let second = try Self.samples(name: "bravo")
        try await store.commit((first + second).map(Self.put))
        try await Self.expect(database, holds: first + second)

        let changed = try Self.samples(name: "Alpha", revision: 1)
        try await store.commit(changed.map(Self.put) + second.map(Self.remove))
        try await Self.expect(database, holds: changed)
        #expect(Self.differ(changed, first), "the revision changes every sample")

        try await store.commit(changed.map(Self.remove))
        try await Self.expect(database, holds: [])
    }

    static func batchOrder(_ harness: any StoreHarness) async throws {
        let database = try await harness.makeDatabase()
        defer { database.destroy() }
        let gone = try Self.samples(name: "gone")
        let kept = try Self.samples(name: "kept", revision: 1)
        let older = try Self.samples(name: "kept")
        try await database.open().commit(gone.map(Self.put) + gone.map(Self.remove) + older.map(Self.put) + kept.map(Self.put))
        try await Self.expect(database, holds: kept)
    }

    static func failedCommit(_ harness: any StoreHarness) async throws {
        for refused in StoredKinds.all {
            let database = try await harness.makeDatabase()
            defer { database.destroy() }
            let store = try await database.open()
            let before = try Self.samples(name: "before")
            try await store.commit(before.map(Self.put))
            try await database.refuseWrites(of: refused)
            // The refused kind comes last, so that the rows before it were written when the batch fails.
            let after = try Self.samples(name: "after")
            let batch = after.filter { type(of: $0) != refused } + after.filter { type(of: $0) == refused }
            await #expect(throws: (any Error).self, "a refused \(refused.storage.table) row fails the batch") {
                try await store.commit(before.map(Self.remove) + batch.map(Self.put))
            }
            try await Self.expect(database, holds: before)
        }
    }

    static func migrations(_ harness: any StoreHarness) async throws {
        for version in harness.earlierSchemaVersions {
            let (database, held) = try await harness.makeDatabase(atSchema: version, holding: try Self.samples(name: "old"))
            defer { database.destroy() }
            try await Self.expect(database, holds: held)
            let store = try await database.open()
            let current = try Self.samples(name: "new")
            try await store.commit(current.map(Self.put))
            try await Self.expect(database, holds: held + current)
        }
    }

    /// One sample of every kind; a kind without a sample fails the check.
    private static func samples(name: String, revision: Int = 0) throws -> [any StoredObject] {
        try StoredKinds.all.map { kind in
            try #require(StoreSamples.object(of: kind, name: name, revision: revision), "StoreSamples has no \(kind.storage.table)")
        }
    }

    private static func put(_ object: any StoredObject) -> StoreChange { .put(object) }

    private static func remove(_ object: any StoredObject) -> StoreChange { Self.removal(of: object) }

    private static func removal<Object: StoredObject>(of object: Object) -> StoreChange { .remove(Object.self, key: object.key) }

    /// Whether every object of `one` differs from the one at the same place in `other`.
    private static func differ(_ one: [any StoredObject], _ other: [any StoredObject]) -> Bool {
        zip(one, other).allSatisfy { !$0.isEqual(to: $1) }
    }

    /// Reopens `database` and expects exactly `objects` in it, kind by kind.
    private static func expect(_ database: any TestDatabase, holds objects: [any StoredObject]) async throws {
        let loaded = try await database.open().load()
        for kind in StoredKinds.all {
            let expected = objects.filter { type(of: $0) == kind }.sorted(by: Self.keyOrder)
            let found = loaded.objects(of: kind).sorted(by: Self.keyOrder)
            #expect(
                found.count == expected.count && zip(found, expected).allSatisfy { $0.isEqual(to: $1) },
                "\(kind.storage.table): found \(found), expected \(expected)")
        }
    }

    private static func keyOrder(_ one: any StoredObject, _ other: any StoredObject) -> Bool {
        one.key.columnValues.lexicographicallyPrecedes(other.key.columnValues)
    }
}

extension StoredObject {
    /// Whether `other` is the same kind and equal.
    func isEqual(to other: any StoredObject) -> Bool {
        (other as? Self) == self
    }
}
