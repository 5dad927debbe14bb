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

    static func damagedRows(_ harness: any StoreHarness) async throws {
        let database = try await harness.makeDatabase()
        defer { database.destroy() }
        let store = try await database.open()
        let good = try Self.samples(name: "good")
        let bad = try Self.samples(name: "bad")
        try await store.commit((good + bad).map(Self.put))
        var corrupted: [DamagedRow] = []
        for object in bad where try await database.corrupt(type(of: object), key: object.key.columnValues) {
            corrupted.append(DamagedRow(table: type(of: object).storage.table, key: object.key.columnValues, reason: ""))
        }
        if harness.storesEncodedRows {
            #expect(corrupted.count == StoredKinds.all.count - 1, "every kind but plain key/value properties can be corrupted")
        }
        let loaded = try await database.open().load()
        let found = Set(loaded.damaged.map { [$0.table] + $0.key })
        #expect(found == Set(corrupted.map { [$0.table] + $0.key }), "every corrupted row is reported: \(loaded.damaged)")
        #expect(loaded.damaged.allSatisfy { !$0.reason.isEmpty })
        let intact = bad.filter { object in !found.contains([type(of: object).storage.table] + object.key.columnValues) }
        try await Self.expect(database, holds: good + intact)

        let reopened = try await database.open()
        try await reopened.quarantine(loaded.damaged + [DamagedRow(table: "nodes", key: ["absent"], reason: "not there")])
        let after = try await database.open().load()
        #expect(after.damaged.isEmpty)
        try await Self.expect(database, holds: good + intact)
        let quarantined = try await database.open().quarantined()
        #expect(Set(quarantined.map(\.row)) == Set(loaded.damaged), "the absent row is skipped")
        #expect(quarantined.allSatisfy { !$0.content.isEmpty && !$0.quarantinedAt.isEmpty })
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
