import DepotModel
import DepotWire
import Foundation
import HashTreeCollections
import Hummingbird

extension RESTRoutes {
    func registerResources(on router: Router<Context>) {
        router.get("/v1/view/resources") { request, _ in
            // As LINSTOR's volume list: a resource appears only with volumes, and a storage pool
            // filter selects volumes, not just resources.
            let query = ListQuery(request)
            let snapshot = self.snapshot
            let keys = snapshot.order.resourceKeys.filter { key in
                self.matches(key, query, snapshot) && snapshot.model.resources[key]?.volumes.isEmpty == false
            }
            let page = query.page(keys)
            guard !query.storagePools.isEmpty else {
                return APIResponse.jsonArray(page.lazy.compactMap { snapshot.resourceFragment($0) })
            }
            let resources = page.compactMap { key -> ResourceDTO? in
                guard let resource = snapshot.model.resources[key], let definition = snapshot.model.resourceDefinitions[key.resource] else { return nil }
                var dto = WireMapper.resource(resource, definition: definition) { snapshot.model.storagePools[StoragePoolKey(node: key.node, pool: ObjectKey($0))] }
                dto.volumes = dto.volumes?.filter { query.storagePools.contains(ObjectKey($0.storagePoolName ?? "")) }
                return dto
            }
            return APIResponse.json(resources)
        }
        router.get("/v1/resource-definitions/:resource/resources") { request, context in
            let snapshot = self.snapshot
            do {
                let definition = try snapshot.model.resourceDefinition(self.parameter(context, "resource"))
                let query = ListQuery(request)
                let keys = (snapshot.model.resourcesByDefinition[definition.key] ?? []).sorted()
                    .map { ResourceKey(resource: definition.key, node: $0) }
                    .filter { self.matches($0, query, snapshot) }
                return APIResponse.jsonArray(query.page(keys).lazy.compactMap { snapshot.resourceFragment($0) })
            } catch {
                return APIResponse.error(error, CallContext(.none, .none))
            }
        }
        router.get("/v1/resource-definitions/:resource/resources/:node") { _, context in
            let snapshot = self.snapshot
            do {
                let resource = try snapshot.model.resource(self.parameter(context, "resource"), on: self.parameter(context, "node"))
                guard let json = snapshot.resourceFragment(resource.key) else { throw DepotError(.failUnknownError, "Resource is being changed.") }
                return APIResponse.json(json)
            } catch {
                return APIResponse.error(error, CallContext(.none, .none))
            }
        }
        router.get("/v1/resource-definitions/:resource/resources/:node/volumes") { _, context in
            let snapshot = self.snapshot
            do {
                let resource = try snapshot.model.resource(self.parameter(context, "resource"), on: self.parameter(context, "node"))
                return APIResponse.json(try self.volumes(of: resource, snapshot))
            } catch {
                return APIResponse.error(error, CallContext(.none, .none))
            }
        }
        router.get("/v1/resource-definitions/:resource/resources/:node/volumes/:volume") { _, context in
            let snapshot = self.snapshot
            do {
                let resource = try snapshot.model.resource(self.parameter(context, "resource"), on: self.parameter(context, "node"))
                guard let volume = try self.volumes(of: resource, snapshot).first(where: { $0.volumeNumber == self.volumeNumber(context) }) else {
                    throw DepotError(
                        .failNotFoundVolume, "Volume \(self.volumeNumber(context) ?? -1) of resource '\(resource.resourceName)' on node '\(resource.nodeName)' not found.")
                }
                return APIResponse.json(volume)
            } catch {
                return APIResponse.error(error, CallContext(.none, .none))
            }
        }
        router.put("/v1/resource-definitions/:resource/resources/:node/volumes/:volume") { request, context in
            let resource = self.parameter(context, "resource")
            let node = self.parameter(context, "node")
            let number = self.volumeNumber(context)
            return await self.run(request, PropsModifyDTO.self, CallContext(.modify, .volume)) { body, transaction throws(DepotError) in
                try transaction.modifyVolume(resource, node, number, WireMapper.propertyChange(body.overrideProps, body.deleteProps, body.deleteNamespaces))
            }
        }
        router.post("/v1/resource-definitions/:resource/resources") { request, context in
            let resource = self.parameter(context, "resource")
            return await self.run(request, [ResourceCreateDTO].self, CallContext(.create, .resource), success: .created) { body, transaction throws(DepotError) in
                try transaction.createResources(resource, body.map(WireMapper.newResource))
            }
        }
        router.post("/v1/resource-definitions/:resource/resources/:node") { request, context in
            let resource = self.parameter(context, "resource")
            let node = self.parameter(context, "node")
            return await self.run(request, ResourceCreateDTO.self, CallContext(.create, .resource), success: .created) { body, transaction throws(DepotError) in
                var request = WireMapper.newResource(body)
                request.nodeName = request.nodeName ?? node
                return try transaction.createResources(resource, [request])
            }
        }
        router.put("/v1/resource-definitions/:resource/resources/:node") { request, context in
            let resource = self.parameter(context, "resource")
            let node = self.parameter(context, "node")
            return await self.run(request, ResourceModifyDTO.self, CallContext(.modify, .resource)) { body, transaction throws(DepotError) in
                try transaction.modifyResource(resource, node, WireMapper.resourceModification(body))
            }
        }
        router.delete("/v1/resource-definitions/:resource/resources/:node") { request, context in
            let resource = self.parameter(context, "resource")
            let node = self.parameter(context, "node")
            // A JAX-RS boolean in LINSTOR: "true" in any case is true, anything else false.
            let keepTieBreaker = request.uri.queryParameters.get("keep_tiebreaker")?.lowercased() == "true"
            return await self.run(CallContext(.delete, .resource)) { (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                try transaction.deleteResource(resource, node, keepTieBreaker: keepTieBreaker)
            }
        }
        router.post("/v1/resource-definitions/:resource/autoplace") { request, context in
            let resource = self.parameter(context, "resource")
            return await self.run(request, AutoPlaceRequestDTO.self, CallContext(.create, .resource), success: .created) { body, transaction throws(DepotError) in
                try transaction.autoPlace(resource, WireMapper.autoPlaceFilter(body), dryRun: body.dryRun == true)
            }
        }
    }

    private func matches(_ key: ResourceKey, _ query: ListQuery, _ snapshot: ClusterSnapshot) -> Bool {
        if !query.nodes.isEmpty, !query.nodes.contains(key.node) { return false }
        if !query.resources.isEmpty, !query.resources.contains(key.resource) { return false }
        guard !query.storagePools.isEmpty || !query.props.isEmpty else { return true }
        guard let resource = snapshot.model.resources[key] else { return false }
        if !query.storagePools.isEmpty, !resource.volumes.values.contains(where: { query.storagePools.contains(ObjectKey($0.storagePoolName)) }) {
            return false
        }
        return query.matches(props: resource.props)
    }

    private func volumes(of resource: Resource, _ snapshot: ClusterSnapshot) throws -> [VolumeDTO] {
        let definition = try snapshot.model.resourceDefinition(resource.resourceName)
        let dto = WireMapper.resource(resource, definition: definition) { pool in
            snapshot.model.storagePools[StoragePoolKey(node: resource.key.node, pool: ObjectKey(pool))]
        }
        return dto.volumes ?? []
    }
}
