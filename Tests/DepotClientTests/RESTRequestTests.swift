import DepotClient
import Foundation
import Testing

@Suite struct RESTRequestTests {
    @Test func encodesSegmentsAndRepeatsListQueries() {
        let request = RESTRequest.resources(nodes: ["a b", "c"], resources: ["r/1"])
        #expect(request.target == "/v1/view/resources?nodes=a%20b&nodes=c&resources=r%2F1")
        #expect(
            RESTRequest.deleteResource("r1", node: "n1", keepTiebreaker: true).target
                == "/v1/resource-definitions/r1/resources/n1?keep_tiebreaker=True"
        )
        #expect(
            RESTRequest.modifyVolumeDefinition("x", 3, .object([])).path
                == "/v1/resource-definitions/x/volume-definitions/3"
        )
    }

    @Test func recognisesApiCallReplies() {
        let body = #"[{"ret_code":-4611686018427387903,"message":"m","cause":"c","error_report_ids":["A-1"]}]"#
        let replies = RESTResponse(status: 404, body: .init(body.utf8)).apiCallReplies()
        #expect(replies?.count == 1)
        #expect(replies?.first?.isError == true)
        #expect(replies?.first?.errorReportIDs == ["A-1"])
        #expect(RESTResponse(status: 200, body: .init("[]".utf8)).apiCallReplies() == nil)
        #expect(RESTResponse(status: 200, body: .init(#"[{"name":"n"}]"#.utf8)).apiCallReplies() == nil)
    }
}
