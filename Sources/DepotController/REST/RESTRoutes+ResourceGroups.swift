import DepotModel
import DepotWire
import Foundation
import HashTreeCollections
import Hummingbird

extension RESTRoutes {
    func registerResourceGroups(on router: Router<Context>) {
        router.get("/v1/resource-groups") { request, _ in
            let query = ListQuery(request)
            let names = Set(request.uri.queryParameters.getAll("resource_groups").map { ObjectKey(String($0)) })
            let groups = self.snapshot.model.resourceGroups.values
                .filter { (names.isEmpty || names.contains($0.key)) && query.matches(props: $0.props) }
                .sorted { $0.key < $1.key }
            return APIResponse.json(query.page(groups).map(WireMapper.resourceGroup))
        }
        router.get("/v1/resource-groups/:group") { _, context in
            do {
                return APIResponse.json(WireMapper.resourceGroup(try self.snapshot.model.resourceGroup(self.parameter(context, "group"))))
            } catch {
                return APIResponse.error(error, CallContext(.none, .none))
            }
        }
        router.post("/v1/resource-groups") { request, _ in
            await self.run(request, ResourceGroupDTO.self, CallContext(.create, .resourceGroup), success: .created) { body, transaction throws(DepotError) in
                try transaction.createResourceGroup(WireMapper.newResourceGroup(body))
            }
        }
        router.put("/v1/resource-groups/:group") { request, context in
            let group = self.parameter(context, "group")
            return await self.run(request, ResourceGroupModifyDTO.self, CallContext(.modify, .resourceGroup)) { body, transaction throws(DepotError) in
                try transaction.modifyResourceGroup(group, WireMapper.resourceGroupModification(body))
            }
        }
        router.delete("/v1/resource-groups/:group") { _, context in
            let group = self.parameter(context, "group")
            return await self.run(CallContext(.delete, .resourceGroup)) { (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                try transaction.deleteResourceGroup(group)
            }
        }
        router.post("/v1/resource-groups/:group/spawn") { request, context in
            let group = self.parameter(context, "group")
            return await self.run(request, ResourceGroupSpawnDTO.self, CallContext(.create, .resourceDefinition), success: .created) { body, transaction throws(DepotError) in
                try transaction.spawn(group, WireMapper.resourceGroupSpawn(body))
            }
        }
        self.registerVolumeGroups(on: router)
        self.registerPlacementQueries(on: router)
    }

    private func registerPlacementQueries(on router: Router<Context>) {
        router.post("/v1/resource-groups/adjustall") { request, _ in
            await self.run(request, optional: ResourceGroupAdjustDTO.self, CallContext(.modify, .resourceGroup)) { body, transaction throws(DepotError) in
                try transaction.adjustResourceGroups(nil, WireMapper.adjustFilter(body))
            }
        }
        router.post("/v1/resource-groups/:group/adjust") { request, context in
            let group = self.parameter(context, "group")
            return await self.run(request, optional: ResourceGroupAdjustDTO.self, CallContext(.modify, .resourceGroup)) { body, transaction throws(DepotError) in
                try transaction.adjustResourceGroups(group, WireMapper.adjustFilter(body))
            }
        }
        router.get("/v1/resource-groups/:group/query-max-volume-size") { _, context in
            do {
                let group = try self.snapshot.model.resourceGroup(self.parameter(context, "group"))
                return APIResponse.json(WireMapper.maxVolumeSizes(try self.placementInventory().maxVolumeSizes(group)))
            } catch {
                return APIResponse.error(error, CallContext(.none, .resourceGroup))
            }
        }
        router.post("/v1/resource-groups/:group/query-size-info") { request, context in
            var request = request
            let body: QuerySizeInfoRequestDTO?
            do throws(RejectedRequest) {
                body = try await request.decodeBodyIfPresent(QuerySizeInfoRequestDTO.self)
            } catch {
                return error.response
            }
            do {
                let group = try self.snapshot.model.resourceGroup(self.parameter(context, "group"))
                let filter = body?.selectFilter.map { WireMapper.selectFilter($0) } ?? AutoSelectFilter()
                return APIResponse.json(WireMapper.querySizeInfo(self.placementInventory().querySizeInfo(group, filter)))
            } catch {
                return APIResponse.error(error, CallContext(.none, .resourceGroup))
            }
        }
        // Answered from the reports in memory, never from a cache: `ignore_cache_older_than_sec` is
        // always met.
        router.post("/v1/queries/resource-groups/query-all-size-info") { request, _ in
            var request = request
            let body: QueryAllSizeInfoRequestDTO?
            do throws(RejectedRequest) {
                body = try await request.decodeBodyIfPresent(QueryAllSizeInfoRequestDTO.self)
            } catch {
                return error.response
            }
            let filter = body?.selectFilter.map { WireMapper.selectFilter($0) } ?? AutoSelectFilter()
            let inventory = self.placementInventory()
            let nodes = inventory.nodes(for: nil)
            var result: [String: QuerySizeInfoResponseDTO] = [:]
            for group in inventory.model.resourceGroups.values {
                result[group.name] = WireMapper.querySizeInfo(inventory.querySizeInfo(group, filter, nodes: nodes))
            }
            return APIResponse.json(QueryAllSizeInfoResponseDTO(result: result, reports: nil))
        }
    }

    /// The latest snapshot with what the satellites reported, for read-only placement questions.
    func placementInventory() -> PlacementInventory {
        let satellites = self.state.satellites
        return PlacementInventory(
            model: self.snapshot.model, isOnline: { satellites.status(of: $0) == .online }, capabilities: { satellites.capabilities(of: $0) },
            poolReport: { satellites.poolReport(node: $0.node, pool: $0.pool) })
    }

    private func registerVolumeGroups(on router: Router<Context>) {
        router.get("/v1/resource-groups/:group/volume-groups") { _, context in
            do {
                let group = try self.snapshot.model.resourceGroup(self.parameter(context, "group"))
                return APIResponse.json(group.volumeGroups.keys.sorted().compactMap { group.volumeGroups[$0] }.map(WireMapper.volumeGroup))
            } catch {
                return APIResponse.error(error, CallContext(.none, .none))
            }
        }
        router.get("/v1/resource-groups/:group/volume-groups/:volume") { _, context in
            do {
                let group = try self.snapshot.model.resourceGroup(self.parameter(context, "group"))
                guard let number = self.volumeNumber(context), let volumeGroup = group.volumeGroups[number] else {
                    throw ClusterTransaction.volumeGroupNotFound(group.name, self.volumeNumber(context) ?? -1)
                }
                return APIResponse.json(WireMapper.volumeGroup(volumeGroup))
            } catch {
                return APIResponse.error(error, CallContext(.none, .none))
            }
        }
        router.post("/v1/resource-groups/:group/volume-groups") { request, context in
            let group = self.parameter(context, "group")
            return await self.run(request, VolumeGroupDTO.self, CallContext(.create, .volumeGroup), success: .created) { body, transaction throws(DepotError) in
                try transaction.createVolumeGroup(group, WireMapper.newVolumeGroup(body))
            }
        }
        router.put("/v1/resource-groups/:group/volume-groups/:volume") { request, context in
            let group = self.parameter(context, "group")
            let number = self.volumeNumber(context) ?? -1
            return await self.run(request, VolumeGroupModifyDTO.self, CallContext(.modify, .volumeGroup)) { body, transaction throws(DepotError) in
                try transaction.modifyVolumeGroup(group, number, WireMapper.volumeGroupModification(body))
            }
        }
        router.delete("/v1/resource-groups/:group/volume-groups/:volume") { _, context in
            let group = self.parameter(context, "group")
            let number = self.volumeNumber(context) ?? -1
            return await self.run(CallContext(.delete, .volumeGroup)) { (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                try transaction.deleteVolumeGroup(group, number)
            }
        }
    }
}
