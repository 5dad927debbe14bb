import DepotModel
import DepotReports
import Hummingbird

/// Turns a failure no handler expected into LINSTOR's answer with an error report, instead of a
/// bare HTTP 500 that tells the caller nothing; the router's bare 404 for a call Depot does not
/// serve gets its reason too.
struct UnexpectedErrorMiddleware: RouterMiddleware {
    typealias Context = RESTRequestContext

    let reporter: ErrorReporter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            return RESTRoutes.unservedCall(request)
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            let id = self.reporter.record(
                Incident(
                    kind: String(describing: type(of: error)), message: "\(error)", context: [.init("Call", "\(request.method) \(request.uri.path)")],
                    peer: request.headers[.userAgent].map { "RestClient(\($0))" }))
            var response = APIResponse.replies([
                Reply(
                    .failUnknownError, "The controller failed unexpectedly on \(request.method) \(request.uri.path): \(error)",
                    correction: "The error report has the details; nothing was changed unless a following list shows otherwise.",
                    errorReportIDs: [id])
            ])
            response.status = .internalServerError
            return response
        }
    }
}
