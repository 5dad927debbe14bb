import DepotModel
import DepotStore

/// How the PostgreSQL backend reads and writes the rows of one kind: the same layouts as SQLite's,
/// so that loading is as cheap (resources in columns, controller properties as key/value rows,
/// every other kind a JSON document per row).
protocol PostgresLayout: Sendable {
    /// The tables the layout needs; a schema without them cannot hold the kind.
    var tables: [String] { get }
    /// Every stored object of the kind, and the rows that do not decode.
    func readAll(_ session: SQLSession) async throws -> LoadedRows
    /// Writes `objects` (replacing the rows with their keys) and removes the rows with `removals`.
    /// No key is in both, and no key is twice in either: a commit keeps each key's last change.
    func write(_ objects: [any StoredObject], removing removals: [[String]], on session: SQLSession) async throws
    /// The row with `key` as stored (its document, or its columns as a JSON object); nil if absent.
    func content(of key: [String], on session: SQLSession) async throws -> String?
}

/// Which layout each kind has in PostgreSQL.
enum PostgresLayouts {
    /// The layout of `kind`: its own if it has one, documents otherwise.
    static func layout(for kind: any StoredObject.Type) -> any PostgresLayout {
        switch kind {
        case is Resource.Type: ResourceTables()
        case is ControllerProperty.Type: PropertyTable()
        default: Self.documents(kind)
        }
    }

    /// The layout of the kind stored in `table`; nil for a table no kind has.
    static func layout(forTable table: String) -> (any PostgresLayout)? {
        StoredKinds.all.first { $0.storage.table == table }.map { Self.layout(for: $0) }
    }

    private static func documents<Object: StoredObject>(_ kind: Object.Type) -> any PostgresLayout {
        DocumentTable<Object>()
    }
}

extension StoredKind {
    /// `key = $1 AND …` over the key columns, for statements on one row.
    var keyCondition: String {
        self.keyColumns.enumerated().map { "\($1) = $\($0 + 1)" }.joined(separator: " AND ")
    }

    /// `DELETE … WHERE (key columns) IN`, to be followed by the keys' `VALUES`.
    var deleteByKeys: BatchedStatement {
        BatchedStatement(
            prefix: "DELETE FROM \(self.table) WHERE (\(self.keyColumns.joined(separator: ", "))) IN (", suffix: ")", columns: self.keyColumns.count)
    }
}
