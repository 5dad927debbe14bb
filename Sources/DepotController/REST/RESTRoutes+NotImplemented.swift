import DepotModel
import DepotWire
import Foundation
import Hummingbird

extension RESTRoutes {
    /// Endpoints LINSTOR has and Depot does not serve yet answer with a reason, never a bare 404.
    func registerNotImplemented(on router: Router<Context>) {
        let features: [(HTTPRequest.Method, String, String)] = [
            (.post, "/v1/resource-definitions/:resource/snapshots", "Snapshots"),
            (.delete, "/v1/resource-definitions/:resource/snapshots/:snapshot", "Snapshots"),
            (.post, "/v1/resource-definitions/:resource/snapshot-restore-resource/:snapshot", "Snapshot restore"),
            (.post, "/v1/resource-definitions/:resource/snapshot-restore-volume-definition/:snapshot", "Snapshot restore"),
            (.post, "/v1/resource-definitions/:resource/snapshot-rollback/:snapshot", "Snapshot rollback"),
            (.post, "/v1/actions/snapshot/multi", "Snapshots"),
        ]
        for (method, path, feature) in features {
            router.on(RouterPath(path), method: method) { _, _ in Self.notImplemented(feature) }
        }
        for method in [HTTPRequest.Method.get, .post, .put, .delete, .patch] {
            router.on("/v1/**", method: method) { request, _ in
                var response = APIResponse.replies([
                    Reply(
                        .unknownAPICall, "\(request.method) \(request.uri.path) is not part of the LINSTOR REST API v1 that Depot serves.",
                        correction: "Check the path; see README for the endpoints.")
                ])
                response.status = .notFound
                return response
            }
        }
        // Truthful empty answers: no snapshot and no error report exists in this version. Drivers
        // list a volume's snapshots before they delete it (linstor-csi, the Docker plugin), so the
        // lists answer and only making a snapshot is refused.
        router.get("/v1/view/snapshots") { _, _ in APIResponse.jsonArray([Data]()) }
        router.get("/v1/resource-definitions/:resource/snapshots") { _, context in
            do {
                _ = try self.snapshot.model.resourceDefinition(self.parameter(context, "resource"))
                return APIResponse.jsonArray([Data]())
            } catch {
                return APIResponse.error(error, CallContext(.none, .none))
            }
        }
        router.get("/v1/resource-definitions/:resource/snapshots/:snapshot") { _, context in
            do {
                let definition = try self.snapshot.model.resourceDefinition(self.parameter(context, "resource"))
                let name = self.parameter(context, "snapshot")
                throw DepotError(
                    .failNotFoundSnapshotDefinition, "Snapshot '\(name)' of resource definition '\(definition.name)' not found.",
                    cause: "Depot \(DepotController.version) does not make snapshots yet.", objectReferences: ["RscDfn": definition.name, "SnapshotName": name])
            } catch {
                return APIResponse.error(error, CallContext(.none, .none))
            }
        }
        router.get("/v1/error-reports/:id") { _, _ in APIResponse.jsonArray([Data]()) }
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
