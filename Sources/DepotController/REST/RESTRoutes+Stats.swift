import DepotWire
import Hummingbird

extension RESTRoutes {
    /// LINSTOR's `/v1/stats/*`: how many objects of a kind exist, as `{"count": N}`.
    func registerStats(on router: Router<Context>) {
        router.get("/v1/stats/nodes") { _, _ in APIResponse.json(StatsDTO(count: self.snapshot.model.nodes.count)) }
        router.get("/v1/stats/resource-groups") { _, _ in APIResponse.json(StatsDTO(count: self.snapshot.model.resourceGroups.count)) }
        router.get("/v1/stats/resource-definitions") { _, _ in
            APIResponse.json(StatsDTO(count: self.snapshot.model.resourceDefinitions.count))
        }
        router.get("/v1/stats/resources") { _, _ in APIResponse.json(StatsDTO(count: self.snapshot.model.resources.count)) }
        router.get("/v1/stats/storage-pools") { _, _ in APIResponse.json(StatsDTO(count: self.snapshot.model.storagePools.count)) }
        router.get("/v1/stats/error-reports") { _, _ in
            let (_, total) = await self.errorReportCollection.list(nodes: [], filter: ErrorReportFilter(), withContent: false, limit: 1)
            return APIResponse.json(StatsDTO(count: total))
        }
    }
}
