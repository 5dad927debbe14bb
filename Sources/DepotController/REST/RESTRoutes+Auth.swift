import DepotModel
import DepotWire
import Hummingbird

extension RESTRoutes {
    /// LINSTOR's token calls (`ControllerAuth`). Their replies carry bare return codes, without the
    /// operation and object masks other calls add, as LINSTOR's do.
    func registerAuth(on router: Router<Context>) {
        let context = CallContext(.none, .none)
        router.post("/v1/controller/auth/initialize-token-auth") { request, _ in
            var request = request
            let body: InitAuthTokenRequestDTO?
            do throws(RejectedRequest) {
                body = try await request.decodeBodyIfPresent(InitAuthTokenRequestDTO.self)
            } catch {
                return error.response
            }
            let token = IssuedToken.make()
            let replies = await self.state.mutate(context) { (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                try transaction.initializeTokenAuth(body ?? InitAuthTokenRequestDTO(), token)
            }
            // Initialized, or the satellite tokens revoked: the connected satellites get new ones.
            guard let first = replies.first, first.code == .created || first.code == .modified else {
                return APIResponse.replies(replies, successStatus: .created)
            }
            let problems = await SatelliteTokens(state: self.state).deliverToConnectedSatellites()
            return APIResponse.replies(replies + context.apply(problems), successStatus: .created)
        }
        router.get("/v1/controller/auth/token") { _, _ in
            APIResponse.json(ClusterTransaction.authTokenList(self.snapshot.model))
        }
        router.post("/v1/controller/auth/token") { request, _ in
            let token = IssuedToken.make()
            return await self.run(request, CreateAuthTokenDTO.self, context, success: .created) { body, transaction throws(DepotError) in
                try transaction.createAuthToken(body, token)
            }
        }
        router.put("/v1/controller/auth/token/:id") { request, requestContext in
            let id = Int(self.parameter(requestContext, "id")).map(AuthTokenID.init)
            return await self.run(request, ModifyAuthTokenDTO.self, context) { body, transaction throws(DepotError) in
                try transaction.modifyAuthToken(id, body)
            }
        }
        router.delete("/v1/controller/auth/token/:id") { _, requestContext in
            let id = Int(self.parameter(requestContext, "id")).map(AuthTokenID.init)
            return await self.run(context) { (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                transaction.revokeAuthToken(id)
            }
        }
    }
}
