public import DepotStore

/// What the conformance suite needs of a backend besides ``ClusterStore``: making, reopening and
/// breaking its databases.
public protocol StoreHarness: Sendable {
    /// Makes a new, empty database.
    func makeDatabase() async throws -> any TestDatabase
    /// The schema versions before the latest, oldest first; empty for a backend without a schema.
    var earlierSchemaVersions: [Int] { get }
    /// Whether rows are stored encoded, so that one can fail to decode (a real database); false
    /// only for a store that keeps objects as they are.
    var storesEncodedRows: Bool { get }
    /// Makes a database at the earlier schema `version`, holding those of `objects` that this schema
    /// can hold, the way that schema stored them.
    ///
    /// - Returns: the database and the objects it holds.
    func makeDatabase(atSchema version: Int, holding objects: [any StoredObject]) async throws
        -> (database: any TestDatabase, held: [any StoredObject])
}

/// One database of a backend under test.
public protocol TestDatabase: Sendable {
    /// Opens the database as a controller does at start, applying pending migrations.
    func open() async throws -> any ClusterStore
    /// Makes every later write of `kind` fail inside the backend, as a constraint or a full disk would.
    func refuseWrites(of kind: any StoredObject.Type) async throws
    /// Overwrites the stored row of `kind` with `key` with content that cannot decode, as a bad
    /// disk or a hand edit would; false when the kind's layout has nothing that can fail to decode.
    func corrupt(_ kind: any StoredObject.Type, key: [String]) async throws -> Bool
    /// Removes the database.
    func destroy()
}

/// The tests every ``ClusterStore`` backend must pass, run by each backend's test target:
///
/// ```swift
/// @Test(arguments: StoreConformance.checks)
/// func conformance(_ check: StoreConformance.Check) async throws {
///     try await check.run(SQLiteHarness())
/// }
/// ```
public enum StoreConformance {
    /// One named test of the suite.
    public struct Check: Sendable, CustomStringConvertible {
        public let description: String
        let body: @Sendable (any StoreHarness) async throws -> Void

        /// Runs the check against `harness`'s backend.
        public func run(_ harness: any StoreHarness) async throws {
            try await self.body(harness)
        }
    }

    public static let checks: [Check] = [
        Check(description: "a new database is empty and says so once", body: Self.newDatabase),
        Check(description: "every kind round-trips, is replaced and removed", body: Self.roundTrip),
        Check(description: "a batch applies in order", body: Self.batchOrder),
        Check(description: "a failed commit leaves nothing behind", body: Self.failedCommit),
        Check(description: "every earlier schema migrates with its objects", body: Self.migrations),
        Check(description: "a row that does not decode is reported, not thrown, and can be quarantined", body: Self.damagedRows),
    ]
}
