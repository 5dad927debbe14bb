import DepotStore

/// Copies a whole configuration into another database (`migrate-db`, `import-db`): kind by kind,
/// each kind in one transaction, then reads the target back and compares it with the source.
///
/// Resumable: a kind the target already holds exactly is skipped, so running it again after an
/// interruption finishes the copy. It never writes over a kind the target holds differently.
enum DatabaseTransfer {
    /// What happened to one kind.
    struct KindOutcome: Sendable, Equatable {
        enum Action: String, Sendable {
            case copied
            case alreadyThere = "already there"
        }
        let table: String
        let action: Action
        let digest: KindDigest
    }

    /// Copies `source` into `target` and verifies the result.
    ///
    /// - Parameter progress: told about each kind as it is done.
    static func copy(
        _ source: StoredCluster, into target: any ClusterStore, progress: (KindOutcome) -> Void = { _ in }
    ) async throws -> [KindOutcome] {
        guard source.damaged.isEmpty else {
            throw DatabaseToolError(
                "The source holds \(source.damaged.count) row(s) that do not decode (first: \(source.damaged[0])). "
                    + "Run `depot-controller check --repair` on it first; they are then kept in its quarantine.")
        }
        let existing = try await target.load()
        var outcomes: [KindOutcome] = []
        for kind in StoredKinds.all {
            let table = kind.storage.table
            let wanted = try KindDigest.digest(source.objects(of: kind))
            let present = try KindDigest.digest(existing.objects(of: kind))
            if present == wanted {
                outcomes.append(KindOutcome(table: table, action: .alreadyThere, digest: wanted))
            } else if present.count == 0 {
                try await target.commit(source.objects(of: kind).map { StoreChange.put($0) })
                outcomes.append(KindOutcome(table: table, action: .copied, digest: wanted))
            } else {
                throw DatabaseToolError(
                    "The target already holds \(present.count) \(table) that differ from the source's \(wanted.count). "
                        + "Copy into a new, empty database (nothing was written to \(table)).")
            }
            progress(outcomes[outcomes.count - 1])
        }
        try await Self.verify(source, against: target.load())
        return outcomes
    }

    /// Compares every kind's count, checksum and objects.
    static func verify(_ source: StoredCluster, against copy: StoredCluster) throws {
        for kind in StoredKinds.all {
            let table = kind.storage.table
            let wanted = source.objects(of: kind)
            let found = copy.objects(of: kind)
            guard try KindDigest.digest(wanted) == KindDigest.digest(found) else {
                throw DatabaseToolError("Verification failed: the copy's \(table) differ from the source's (\(found.count) of \(wanted.count)).")
            }
            let byKey = Dictionary(found.map { ($0.key.columnValues, $0) }, uniquingKeysWith: { first, _ in first })
            for object in wanted where !(byKey[object.key.columnValues].map { object.isSame(as: $0) } ?? false) {
                throw DatabaseToolError("Verification failed: \(table) '\(object.key.columnValues.joined(separator: "/"))' differs in the copy.")
            }
        }
    }
}

extension StoredObject {
    /// Whether `other` is of this kind and equal to it.
    fileprivate func isSame(as other: any StoredObject) -> Bool {
        (other as? Self) == self
    }
}
