import DepotModel
import DepotWire
import Foundation
import NIOHTTP1
import Testing

@testable import DepotController

/// What a standby controller answers on the REST port.
@Suite struct StandbyAnswerTests {
    @Test func apiCallsAreRedirectedToTheActiveControllerWithTheirPath() throws {
        let answer = StandbyAnswer(path: "/v1/resource-definitions?limit=5", active: "http://127.0.0.2:3370")
        #expect(answer.status == .temporaryRedirect)
        #expect(answer.location == "http://127.0.0.2:3370/v1/resource-definitions?limit=5")
        let reply = try #require(try JSONDecoder().decode([ApiCallRcDTO].self, from: Data(answer.body.utf8)).first)
        #expect(ReturnCode(rawValue: reply.retCode).isError)
        #expect(reply.message.contains("standby"))
    }

    @Test func withoutAnActiveControllerItIsLINSTORsErrorAndHealthSaysStandby() throws {
        let answer = StandbyAnswer(path: "/v1/nodes", active: nil)
        #expect(answer.status == .serviceUnavailable && answer.location == nil)
        #expect(try JSONDecoder().decode([ApiCallRcDTO].self, from: Data(answer.body.utf8)).first?.correction?.contains("Retry") == true)
        let health = StandbyAnswer(path: "/health", active: "http://127.0.0.2:3370")
        #expect(health.status == .serviceUnavailable && health.body == "standby\n" && health.location == nil)
    }
}
