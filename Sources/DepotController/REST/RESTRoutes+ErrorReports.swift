import DepotModel
import DepotWire
import Foundation
import Hummingbird

extension RESTRoutes {
    /// LINSTOR's error report calls: the controller's reports and every online satellite's.
    func registerErrorReports(on router: Router<Context>) {
        router.get("/v1/error-reports") { request, _ in
            await self.listErrorReports(request, id: nil)
        }
        router.get("/v1/error-reports/:id") { request, context in
            await self.listErrorReports(request, id: self.parameter(context, "id"))
        }
        router.delete("/v1/error-reports/:id") { _, context in
            let filter = ErrorReportFilter(ids: [self.parameter(context, "id")])
            return APIResponse.replies(CallContext(.delete, .none).apply(await self.errorReportCollection.delete(nodes: [], filter: filter)))
        }
        router.patch("/v1/error-reports") { request, _ in
            var request = request
            let body: ErrorReportDeleteDTO
            do throws(RejectedRequest) {
                body = try await request.decodeBody(ErrorReportDeleteDTO.self)
            } catch {
                return error.response
            }
            let filter = ErrorReportFilter(since: body.since, to: body.to, ids: body.ids ?? [], exception: body.exception, version: body.version)
            return APIResponse.replies(CallContext(.delete, .none).apply(await self.errorReportCollection.delete(nodes: body.nodes ?? [], filter: filter)))
        }
    }

    var errorReportCollection: ErrorReportCollection {
        ErrorReportCollection(controller: self.state.errorReports, satellites: self.state.satellites, model: self.snapshot.model)
    }

    /// `GET /v1/error-reports[/{id}]` with LINSTOR's query: `node`, `since`, `to` (milliseconds),
    /// `withContent` (default false for the list, true for one report) and `limit` (default 1000).
    private func listErrorReports(_ request: Request, id: String?) async -> Response {
        let query = request.uri.queryParameters
        func milliseconds(_ name: String) throws(SatelliteQueryError) -> Int64? {
            guard let text = query.get(name) else { return nil }
            guard let value = Int64(text) else { throw SatelliteQueryError(parameter: name, value: text, expected: "milliseconds since 1970") }
            return value
        }
        let filter: ErrorReportFilter
        let limit: Int
        do throws(SatelliteQueryError) {
            filter = ErrorReportFilter(since: try milliseconds("since"), to: try milliseconds("to"), ids: id.map { [$0] } ?? [])
            let limitText = query.get("limit") ?? "1000"
            guard let value = Int(limitText), value >= 0 else {
                throw SatelliteQueryError(parameter: "limit", value: limitText, expected: "a number of reports")
            }
            limit = value
        } catch {
            return APIResponse.parseError("Query parameter '\(error.parameter)' is '\(error.value)', not \(error.expected).", status: .notFound)
        }
        let withContent = query.get("withContent").map { $0.lowercased() == "true" } ?? (id != nil)
        let nodes = query.getAll("node").flatMap { $0.split(separator: ",").map(String.init) }
        let (reports, _) = await self.errorReportCollection.list(nodes: nodes, filter: filter, withContent: withContent, limit: limit > 0 ? limit : nil)
        return APIResponse.json(reports)
    }
}

/// A query parameter of an error report list that is not what LINSTOR takes there.
struct SatelliteQueryError: Error {
    let parameter: String
    let value: String
    let expected: String
}
