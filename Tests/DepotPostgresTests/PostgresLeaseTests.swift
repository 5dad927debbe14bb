import DepotModel
import DepotStore
import Foundation
import Testing

@testable import DepotPostgres

/// The lease that elects one active controller among those sharing a database, and the fencing
/// that keeps a deposed one from writing.
@Suite(.enabled(if: PostgresTestServer.isWanted, "DEPOT_TEST_POSTGRES=skip"))
struct PostgresLeaseTests {
    @Test func oneHolderAtATimeAndADeposedHolderCannotCommit() async throws {
        try await PostgresHarness.withHarness { harness in
            let database = try #require(try await harness.makeDatabase() as? PostgresTestDatabase)
            defer { database.destroy() }
            let first = try await PostgresStore.open(database.url, logger: PostgresTestServer.logger)
            let second = try await PostgresStore.open(database.url, logger: PostgresTestServer.logger)
            harness.run(first)
            harness.run(second)

            let taken = try await first.acquireLease(holder: "first", restURL: "http://127.0.0.1:1", duration: .milliseconds(600))
            #expect(taken.holder == "first" && taken.fencingToken == 1)
            let seen = try await second.acquireLease(holder: "second", restURL: "http://127.0.0.1:2", duration: .milliseconds(600))
            #expect(seen.holder == "first" && seen.restURL == "http://127.0.0.1:1", "held and not expired: not taken")
            let renewed = try await first.acquireLease(holder: "first", restURL: "http://127.0.0.1:1", duration: .milliseconds(600))
            #expect(renewed.fencingToken == 1 && renewed.remaining > .milliseconds(300))
            try await first.commit([.put(ResourceGroup(name: "by-first", uuid: "1"))])

            // The first stops renewing: after expiry the second takes over with a higher token,
            // and from then on the first's commits fail before writing anything.
            try await Task.sleep(for: .milliseconds(700))
            let takeover = try await second.acquireLease(holder: "second", restURL: "http://127.0.0.1:2", duration: .seconds(5))
            #expect(takeover.holder == "second" && takeover.fencingToken == 2)
            await #expect {
                try await first.commit([.put(ResourceGroup(name: "by-deposed", uuid: "2"))])
            } throws: { "\($0)".contains("no longer holds the lease") && "\($0)".contains("fencing token 1") }
            try await second.commit([.put(ResourceGroup(name: "by-second", uuid: "3"))])
            #expect(Set(try await second.load()[ResourceGroup.self].map(\.name)) == ["by-first", "by-second"])
            let lost = try await first.acquireLease(holder: "first", restURL: "http://127.0.0.1:1", duration: .seconds(5))
            #expect(lost.holder == "second", "the deposed holder cannot renew")

            // Released at a clean shutdown: taken at once, with the next token.
            try await second.releaseLease(holder: "second")
            let handedOver = try await first.acquireLease(holder: "first", restURL: "http://127.0.0.1:1", duration: .seconds(5))
            #expect(handedOver.holder == "first" && handedOver.fencingToken == 3)
            try await first.commit([.put(ResourceGroup(name: "by-first-again", uuid: "4"))])
        }
    }
}
