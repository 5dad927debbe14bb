import DepotModel
import DepotWire
import Hummingbird

extension RESTRoutes {
    /// LINSTOR's encryption calls: the master passphrase (``ClusterState/createMasterPassphrase(_:)``
    /// and its siblings) and a volume definition's own passphrase.
    func registerEncryption(on router: Router<Context>) {
        router.get("/v1/encryption/passphrase") { _, _ in
            APIResponse.json(PassphraseStatusDTO(status: ClusterTransaction.status(of: self.snapshot.model).rawValue))
        }
        router.post("/v1/encryption/passphrase") { request, _ in
            var request = request
            do throws(RejectedRequest) {
                let body = try await request.decodeBody(PassphraseChangeDTO.self)
                return APIResponse.replies(await self.state.createMasterPassphrase(body.newPassphrase), successStatus: .created)
            } catch {
                return error.response
            }
        }
        router.put("/v1/encryption/passphrase") { request, _ in
            var request = request
            do throws(RejectedRequest) {
                let body = try await request.decodeBody(PassphraseChangeDTO.self)
                return APIResponse.replies(await self.state.modifyMasterPassphrase(old: body.oldPassphrase, new: body.newPassphrase))
            } catch {
                return error.response
            }
        }
        // The body is a bare JSON string, as python-linstor sends it (`json.dumps(passphrase)`).
        router.patch("/v1/encryption/passphrase") { request, _ in
            var request = request
            do throws(RejectedRequest) {
                let passphrase = try await request.decodeBody(String.self)
                return APIResponse.replies(await self.state.enterMasterPassphrase(passphrase))
            } catch {
                return error.response
            }
        }
        router.put("/v1/resource-definitions/:resource/volume-definitions/:volume/encryption-passphrase") { request, context in
            let resource = self.parameter(context, "resource")
            let number = self.volumeNumber(context)
            return await self.run(request, VolumeDefinitionPassphraseDTO.self, CallContext(.modify, .volumeDefinition)) { body, transaction throws(DepotError) in
                guard let number else {
                    throw DepotError(.failInvalidVolumeNumber, "Invalid volume number.", correction: "Give a volume number from 0 to \(VolumeDefinition.maxNumber).")
                }
                return try transaction.modifyVolumePassphrase(resource, number, body.newPassphrase)
            }
        }
    }
}
