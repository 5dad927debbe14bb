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
    /// Every stored object of the kind.
    func readAll(_ db: Database) throws -> [any StoredObject]
    /// Writes or removes one object.
    func write(_ change: StoreChange, to db: Database) throws
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

    private static func documents<Object: StoredObject>(_ kind: Object.Type) -> any SQLiteLayout {
        DocumentRows<Object>()
    }
}
