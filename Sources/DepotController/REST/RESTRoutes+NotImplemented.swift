import DepotModel
import DepotWire
import Foundation
import Hummingbird

extension RESTRoutes {
    /// Endpoints LINSTOR has and Depot does not serve yet answer with a reason, never a bare 404.
    func registerNotImplemented(on router: Router<Context>) {
        for method in [HTTPRequest.Method.get, .post, .put, .delete, .patch] {
            router.on("/v1/**", method: method) { request, _ in Self.unservedCall(request) }
        }
    }

    /// The answer to a method and path Depot does not serve, also for a served path with another
    /// method (`GET /v1/controller/config`), which the router alone would answer with an empty 404.
    static func unservedCall(_ request: Request) -> Response {
        var response = APIResponse.replies([
            Reply(
                .unknownAPICall, "\(request.method) \(request.uri.path) is not part of the LINSTOR REST API v1 that Depot serves.",
                correction: "Check the path; see README for the endpoints.")
        ])
        response.status = .notFound
        return response
    }

    static func notImplemented(_ feature: String) -> Response {
        var response = APIResponse.replies([
            Reply(
                .failImplementationError, "\(feature) is not implemented in this Depot version.",
                cause: "Depot \(DepotController.version) serves LINSTOR's REST API only in part; see README for what is available.",
                correction: "Use an implemented call, or upgrade Depot when the feature lands.")
        ])
        response.status = .notImplemented
        return response
    }
}
