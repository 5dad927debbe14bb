import DepotModel
import DepotReports
import DepotTestSupport
import DepotWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import DepotController

/// LINSTOR's error report calls on the controller's own reports (satellites' are asked over the
/// link; the system tests cover them).
@Suite struct ErrorReportRoutesTests {
    private func withClient(_ store: MemoryStore, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let state = try await makeState(store)
        defer { removeErrorReports(of: state) }
        let controller = DepotController(config: ControllerConfig(), logger: Logger(label: "test"), logLevel: RuntimeLogLevel(.info))
        try await controller.makeApplication(state: state) { _ in }.test(.router) { client in try await body(client) }
    }

    private func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
        try JSONDecoder().decode(type, from: Data(response.body.readableBytesView))
    }

    @Test func aFailedCommitIsReportedListedShownAndDeleted() async throws {
        let store = MemoryStore()
        try await self.withClient(store) { client in
            store.failCommits(true)
            let failed = try await client.execute(uri: "/v1/resource-groups", method: .post, body: ByteBuffer(string: #"{"name":"grp"}"#))
            store.failCommits(false)
            let reply = try #require(try self.decode([ApiCallRcDTO].self, failed).first)
            let id = try #require(reply.errorReportIDs?.first)

            let list = try await client.execute(uri: "/v1/error-reports", method: .get)
            #expect(list.status == .ok)
            let reports = try self.decode([ErrorReportDTO].self, list)
            #expect(reports.map(\.id) == [id])
            let report = try #require(reports.first)
            #expect(report.filename == "ErrorReport-\(id).log")
            #expect(report.nodeName == "controller-host")
            #expect(report.module == "CONTROLLER")
            #expect(report.exception == "DatabaseError")
            #expect(report.exceptionMessage?.contains("could not be committed") == true)
            // The list leaves the text out unless asked; one report comes with it.
            #expect(report.text == nil)
            let shown = try self.decode([ErrorReportDTO].self, try await client.execute(uri: "/v1/error-reports/\(id)", method: .get))
            #expect(shown.first?.text?.contains("ERROR REPORT \(id)") == true)
            #expect(shown.first?.text?.contains("Change:") == true)
            let withoutText = try self.decode([ErrorReportDTO].self, try await client.execute(uri: "/v1/error-reports/\(id)?withContent=False", method: .get))
            #expect(withoutText.first?.text == nil)

            // python-linstor's filters: node (the controller by its name or "Controller"), since, to.
            for query in ["node=Controller", "node=controller-host", "since=0", "to=99999999999999"] {
                let filtered = try self.decode([ErrorReportDTO].self, try await client.execute(uri: "/v1/error-reports?\(query)", method: .get))
                #expect(filtered.count == 1, "\(query)")
            }
            for query in ["node=vulcan", "since=99999999999999", "to=0"] {
                let filtered = try self.decode([ErrorReportDTO].self, try await client.execute(uri: "/v1/error-reports?\(query)", method: .get))
                #expect(filtered.isEmpty, "\(query)")
            }
            let stats = try self.decode(StatsDTO.self, try await client.execute(uri: "/v1/stats/error-reports", method: .get))
            #expect(stats.count == 1)
            let nodes = try self.decode(StatsDTO.self, try await client.execute(uri: "/v1/stats/nodes", method: .get))
            #expect(nodes.count == 0)
            let groups = try self.decode(StatsDTO.self, try await client.execute(uri: "/v1/stats/resource-groups", method: .get))
            #expect(groups.count == 1)  // DfltRscGrp

            // No criterion deletes nothing, as in LINSTOR.
            let nothing = try self.decode([ApiCallRcDTO].self, try await client.execute(uri: "/v1/error-reports", method: .patch, body: ByteBuffer(string: "{}")))
            #expect(nothing.map(\.message) == ["No error reports deleted."])
            #expect(nothing.first?.retCode == ReturnCode.infoNoop.inContext(.delete, .none).rawValue)
            let deleted = try self.decode(
                [ApiCallRcDTO].self, try await client.execute(uri: "/v1/error-reports", method: .patch, body: ByteBuffer(string: #"{"ids":["\#(id)"]}"#)))
            #expect(deleted.map(\.message) == ["Deleted 1 error-report(s)"])
            #expect(try self.decode([ErrorReportDTO].self, try await client.execute(uri: "/v1/error-reports", method: .get)).isEmpty)
            let again = try self.decode([ApiCallRcDTO].self, try await client.execute(uri: "/v1/error-reports/\(id)", method: .delete))
            #expect(again.map(\.message) == ["No error reports deleted."])
        }
    }

    @Test func badQueryParametersAreRefusedWithTheReason() async throws {
        try await self.withClient(MemoryStore()) { client in
            let response = try await client.execute(uri: "/v1/error-reports?since=yesterday", method: .get)
            #expect(response.status == .notFound)
            let reply = try #require(try self.decode([ApiCallRcDTO].self, response).first)
            #expect(reply.cause?.contains("'since' is 'yesterday'") == true)
            let patch = try await client.execute(uri: "/v1/error-reports", method: .patch, body: ByteBuffer(string: #"{"since":"x"}"#))
            #expect(patch.status == .badRequest)
        }
    }

    @Test func anUnexpectedFailureAnswersWithItsReport() async throws {
        struct Boom: Error {}
        let reporter = testErrorReporter()
        defer { try? FileManager.default.removeItem(atPath: reporter.directory) }
        let router = Router(context: RESTRequestContext.self)
        router.add(middleware: UnexpectedErrorMiddleware(reporter: reporter))
        router.get("/v1/boom") { _, _ -> Response in throw Boom() }
        try await Application(router: router).test(.router) { client in
            let response = try await client.execute(uri: "/v1/boom", method: .get, headers: [.userAgent: "PythonLinstor/1.25"])
            #expect(response.status == .internalServerError)
            let reply = try #require(try self.decode([ApiCallRcDTO].self, response).first)
            #expect(ReturnCode(rawValue: reply.retCode) == .failUnknownError)
            let id = try #require(reply.errorReportIDs?.first)
            let report = try #require(reporter.list(ErrorReportFilter(ids: [id]), withContent: true).reports.first)
            #expect(report.exception == "Boom")
            #expect(report.peer == "RestClient(PythonLinstor/1.25)")
            #expect(report.text?.contains("GET /v1/boom") == true)
        }
    }
}

@Suite struct SatelliteQuestionsTests {
    @Test func anAnswerFindsItsQuestion() async throws {
        let questions = SatelliteQuestions()
        let node = ObjectKey("vulcan")
        // The satellite answers each query at once, as the link's receiver would hand it over.
        let session = questions.open(node) { message in
            guard case .query(let query) = message else { return }
            questions.received(SatelliteAnswer(requestID: query.requestID, total: 7))
        }
        let answer = await questions.ask(node, within: .seconds(5)) { SatelliteQuery(requestID: $0, action: .listErrorReports, filter: ErrorReportFilter()) }
        #expect(answer?.total == 7)
        questions.close(node, session: session)
        #expect(await questions.ask(node, within: .seconds(5)) { SatelliteQuery(requestID: $0, action: .listErrorReports, filter: ErrorReportFilter()) } == nil)
    }

    @Test func silenceEndsInTimeAndAClosedLinkAtOnce() async throws {
        let questions = SatelliteQuestions()
        let node = ObjectKey("vulcan")
        let session = questions.open(node) { _ in }
        // Bounds far from the waits, so a loaded machine cannot fail them: the order of events is the check.
        let started = ContinuousClock.now
        #expect(await questions.ask(node, within: .milliseconds(200)) { SatelliteQuery(requestID: $0, action: .listErrorReports, filter: ErrorReportFilter()) } == nil)
        #expect(ContinuousClock.now - started < .seconds(120))
        let closing = ContinuousClock.now
        async let pending = questions.ask(node, within: .seconds(3600)) { SatelliteQuery(requestID: $0, action: .listErrorReports, filter: ErrorReportFilter()) }
        try await Task.sleep(for: .milliseconds(100))
        questions.close(node, session: session)
        #expect(await pending == nil)
        #expect(ContinuousClock.now - closing < .seconds(600))
    }
}
