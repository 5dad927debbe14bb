/// Why the database could not be opened, migrated, read or written.
///
/// Every case names the file and what to do, because a controller that cannot open its database
/// cannot serve anything: the message is all the administrator gets.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public let message: String

    /// An error with `message` as all it says; backends phrase it for the administrator.
    package init(_ message: String) {
        self.message = message
    }

    public var description: String { self.message }

    /// A migration failed and was rolled back with every other pending one.
    package static func migrationFailed(path: String, version: Int, name: String, underlying: any Error) -> StoreError {
        StoreError(
            "Database migration \(version) (\(name)) failed on \(path): \(underlying). "
                + "No migration was applied; the database is unchanged and still usable by the previous Depot version."
        )
    }

    /// The database was written by a newer Depot, whose schema this one does not know.
    package static func tooNew(path: String, found: Int, known: Int) -> StoreError {
        StoreError(
            "The database \(path) has schema version \(found), but this Depot knows versions up to \(known). "
                + "It was written by a newer Depot; start that version or restore a backup."
        )
    }
}
