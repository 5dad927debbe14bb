import DepotModel
import DepotWire
import Foundation
import HashTreeCollections
import Hummingbird

extension RESTRoutes {
    func registerResourceDefinitions(on router: Router<Context>) {
        router.get("/v1/resource-definitions") { request, _ in
            let query = ListQuery(request)
            let withVolumes = request.uri.queryParameters.get("with_volume_definitions") == "true"
            let snapshot = self.snapshot
            let keys = snapshot.order.definitionKeys.filter { key in
                guard query.resources.isEmpty || query.resources.contains(key) else { return false }
                return query.props.isEmpty || snapshot.model.resourceDefinitions[key].map { query.matches(props: $0.props) } == true
            }
            let page = query.page(keys)
            if withVolumes {
                return APIResponse.json(page.compactMap { snapshot.model.resourceDefinitions[$0] }.map { WireMapper.resourceDefinition($0, withVolumes: true) })
            }
            return APIResponse.jsonArray(page.lazy.compactMap { snapshot.definitionFragment($0) })
        }
        router.get("/v1/resource-definitions/:resource") { _, context in
            do {
                let definition = try self.snapshot.model.resourceDefinition(self.parameter(context, "resource"))
                return APIResponse.json(WireMapper.resourceDefinition(definition, withVolumes: false))
            } catch {
                return APIResponse.error(error, CallContext(.none, .none))
            }
        }
        router.get("/v1/resource-definitions/:resource/sync-status") { _, context in
            do {
                let definition = try self.snapshot.model.resourceDefinition(self.parameter(context, "resource"))
                return APIResponse.json(ResourceDefinitionSyncStatusDTO(syncedOnAll: await self.state.isSyncedOnAll(definition.key)))
            } catch {
                return APIResponse.error(error, CallContext(.none, .none))
            }
        }
        router.post("/v1/resource-definitions") { request, _ in
            await self.run(request, ResourceDefinitionCreateDTO.self, CallContext(.create, .resourceDefinition), success: .created) { body, transaction throws(DepotError) in
                try transaction.createResourceDefinition(WireMapper.newResourceDefinition(body))
            }
        }
        router.put("/v1/resource-definitions/:resource") { request, context in
            let resource = self.parameter(context, "resource")
            return await self.run(request, ResourceDefinitionModifyDTO.self, CallContext(.modify, .resourceDefinition)) { body, transaction throws(DepotError) in
                try transaction.modifyResourceDefinition(resource, WireMapper.resourceDefinitionModification(body))
            }
        }
        router.delete("/v1/resource-definitions/:resource") { _, context in
            let resource = self.parameter(context, "resource")
            return await self.run(CallContext(.delete, .resourceDefinition)) { (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                try transaction.deleteResourceDefinition(resource)
            }
        }
        self.registerVolumeDefinitions(on: router)
    }

    private func registerVolumeDefinitions(on router: Router<Context>) {
        router.get("/v1/resource-definitions/:resource/volume-definitions") { _, context in
            do {
                let definition = try self.snapshot.model.resourceDefinition(self.parameter(context, "resource"))
                let volumes = definition.volumeDefinitions.keys.sorted().compactMap { definition.volumeDefinitions[$0] }
                return APIResponse.json(volumes.map { WireMapper.volumeDefinition($0, of: definition) })
            } catch {
                return APIResponse.error(error, CallContext(.none, .none))
            }
        }
        router.get("/v1/resource-definitions/:resource/volume-definitions/:volume") { _, context in
            do {
                let definition = try self.snapshot.model.resourceDefinition(self.parameter(context, "resource"))
                guard let number = self.volumeNumber(context), let volume = definition.volumeDefinitions[number] else {
                    throw ClusterTransaction.volumeDefinitionNotFound(definition.name, self.volumeNumber(context) ?? -1)
                }
                return APIResponse.json(WireMapper.volumeDefinition(volume, of: definition))
            } catch {
                return APIResponse.error(error, CallContext(.none, .none))
            }
        }
        router.post("/v1/resource-definitions/:resource/volume-definitions") { request, context in
            let resource = self.parameter(context, "resource")
            return await self.run(request, VolumeDefinitionCreateDTO.self, CallContext(.create, .volumeDefinition), success: .created) { body, transaction throws(DepotError) in
                try transaction.createVolumeDefinition(resource, WireMapper.newVolumeDefinition(body))
            }
        }
        router.put("/v1/resource-definitions/:resource/volume-definitions/:volume") { request, context in
            let resource = self.parameter(context, "resource")
            let number = self.volumeNumber(context) ?? -1
            return await self.run(request, VolumeDefinitionModifyDTO.self, CallContext(.modify, .volumeDefinition)) { body, transaction throws(DepotError) in
                try transaction.modifyVolumeDefinition(resource, number, WireMapper.volumeDefinitionModification(body))
            }
        }
        router.delete("/v1/resource-definitions/:resource/volume-definitions/:volume") { _, context in
            let resource = self.parameter(context, "resource")
            let number = self.volumeNumber(context) ?? -1
            return await self.run(CallContext(.delete, .volumeDefinition)) { (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                try transaction.deleteVolumeDefinition(resource, number)
            }
        }
    }
}
