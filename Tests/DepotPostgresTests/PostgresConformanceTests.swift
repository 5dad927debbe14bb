import DepotTestSupport
import Testing

@Suite(.enabled(if: PostgresTestServer.isWanted, "DEPOT_TEST_POSTGRES=skip"))
struct PostgresConformanceTests {
    @Test(arguments: StoreConformance.checks)
    func conformance(_ check: StoreConformance.Check) async throws {
        try await PostgresHarness.withHarness { harness in try await check.run(harness) }
    }
}
