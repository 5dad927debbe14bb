import DepotStore
import DepotTestSupport
import Testing

/// The storage declarations themselves: a mistake here would reach every backend.
@Suite struct StoredKindsTests {
    @Test func everyKindHasATableOfItsOwn() {
        let tables = StoredKinds.all.map { $0.storage.table }
        #expect(Set(tables).count == tables.count)
    }

    @Test(arguments: StoredKinds.all.map { KindName(type: $0) })
    func keysFillTheKeyColumns(_ kind: KindName) throws {
        let sample = try #require(StoreSamples.object(of: kind.type, name: "Sample"))
        #expect(sample.key.columnValues.count == kind.type.storage.keyColumns.count)
    }

    /// A kind as a test argument, shown by its table.
    struct KindName: Sendable, CustomStringConvertible {
        let type: any StoredObject.Type
        var description: String { self.type.storage.table }
    }
}
