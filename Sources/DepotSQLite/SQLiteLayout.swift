import DepotModel
import DepotStore
import GRDB

/// How the SQLite backend reads and writes the rows of one kind.
///
/// Most kinds use ``DocumentRows`` (a JSON document per row); a kind gets a layout of its own only
/// when the document costs too much (``ResourceRows``) or the table predates the documents
/// (``ControllerPropertyRows``).
protocol SQLiteLayout: Sendable {
    /// The tables the layout needs; a schema without them cannot hold the kind.
    var tables: [String] { get }
    /// Every stored object of the kind, and the rows that do not decode.
    func readAll(_ db: Database) throws -> LoadedRows
    /// Writes or removes one object.
    func write(_ change: StoreChange, to db: Database) throws
    /// The row with `key` as stored (its document, or its columns as a JSON object); nil if absent.
    func content(of key: [String], in db: Database) throws -> String?
    /// Removes the row with `key`, whatever it holds.
    func remove(_ key: [String], from db: Database) throws
}

/// Which layout each kind has in SQLite.
enum SQLiteLayouts {
    /// The layout of `kind`: its own if it has one, documents otherwise.
    static func layout(for kind: any StoredObject.Type) -> any SQLiteLayout {
        switch kind {
        case is Resource.Type: ResourceRows()
        case is ControllerProperty.Type: ControllerPropertyRows()
        default: Self.documents(kind)
        }
    }

    /// The layout of the kind stored in `table`; nil for a table no kind has.
    static func layout(forTable table: String) -> (any SQLiteLayout)? {
        StoredKinds.all.first { $0.storage.table == table }.map { Self.layout(for: $0) }
    }

    private static func documents<Object: StoredObject>(_ kind: Object.Type) -> any SQLiteLayout {
        DocumentRows<Object>()
    }
}
