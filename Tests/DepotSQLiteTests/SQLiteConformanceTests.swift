import DepotTestSupport
import Testing

@Suite struct SQLiteConformanceTests {
    @Test(arguments: StoreConformance.checks)
    func conformance(_ check: StoreConformance.Check) async throws {
        try await check.run(SQLiteHarness())
    }
}
