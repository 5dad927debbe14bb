import DepotModel
import DepotWire
import Foundation
import Hummingbird

extension RESTRoutes {
    func registerController(on router: Router<Context>) {
        router.get("/health") { _, _ -> Response in
            var response = Response(status: .ok)
            response.headers[.contentType] = "text/plain"
            return response
        }
        router.get("/v1/controller/version") { _, _ in APIResponse.json(self.version) }
        router.get("/v1/controller/properties") { _, _ in APIResponse.json(self.snapshot.model.controllerProps) }
        router.post("/v1/controller/properties") { request, _ in
            await self.run(request, PropsModifyDTO.self, CallContext(.modify, .controllerConfig), success: .created) { body, transaction throws(DepotError) in
                try transaction.modifyControllerProps(body.change)
            }
        }
        router.delete("/v1/controller/properties/**") { _, context in
            let key = context.parameters.getCatchAll().joined(separator: "/")
            return await self.run(CallContext(.delete, .controllerConfig)) { (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                try transaction.modifyControllerProps(PropertyChange(deleteProps: [key]))
            }
        }
    }
}
