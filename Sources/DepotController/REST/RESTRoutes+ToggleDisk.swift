import DepotModel
import DepotWire
import Hummingbird

extension RESTRoutes {
    /// `toggle-disk` with its JSON body (API 1.28+), the older path forms python-linstor still knows,
    /// `make-available`, which toggles or creates as needed, and `activate`/`deactivate`.
    func registerToggleDisk(on router: Router<Context>) {
        let base = "/v1/resource-definitions/:resource/resources/:node"
        router.put(RouterPath(base + "/toggle-disk")) { request, context in
            let resource = self.parameter(context, "resource")
            let node = self.parameter(context, "node")
            return await self.run(request, ToggleDiskDTO.self, CallContext(.modify, .resource)) { body, transaction throws(DepotError) in
                try transaction.toggleDisk(resource, node, WireMapper.diskToggle(body), migrateFrom: body.migrateFrom)
            }
        }
        for (suffix, diskless) in [("/toggle-disk/diskless", true), ("/toggle-disk/diskful", false)] {
            for withPool in [false, true] {
                router.put(RouterPath(base + suffix + (withPool ? "/:pool" : ""))) { _, context in
                    let resource = self.parameter(context, "resource")
                    let node = self.parameter(context, "node")
                    let pool = withPool ? self.parameter(context, "pool") : nil
                    return await self.run(CallContext(.modify, .resource)) { (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                        try transaction.toggleDisk(resource, node, diskless ? .diskless(pool: pool) : .diskful(pool: pool))
                    }
                }
            }
        }
        // 200 also when a replica was created, as LINSTOR answers.
        router.post(RouterPath(base + "/make-available")) { request, context in
            let resource = self.parameter(context, "resource")
            let node = self.parameter(context, "node")
            return await self.run(request, ResourceMakeAvailableDTO.self, CallContext(.create, .resource)) { body, transaction throws(DepotError) in
                try transaction.makeAvailable(resource, node, WireMapper.makeAvailable(body))
            }
        }
        for (suffix, activate) in [("/activate", true), ("/deactivate", false)] {
            router.post(RouterPath(base + suffix)) { _, context in
                let resource = self.parameter(context, "resource")
                let node = self.parameter(context, "node")
                return await self.run(CallContext(.modify, .resource)) { (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                    activate ? try transaction.activateResource(resource, node) : try transaction.deactivateResource(resource, node)
                }
            }
        }
        for withPool in [false, true] {
            router.put(RouterPath(base + "/migrate-disk/:from" + (withPool ? "/:pool" : ""))) { _, context in
                let resource = self.parameter(context, "resource")
                let node = self.parameter(context, "node")
                let from = self.parameter(context, "from")
                let pool = withPool ? self.parameter(context, "pool") : nil
                return await self.run(CallContext(.modify, .resource)) { (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                    try transaction.toggleDisk(resource, node, .diskful(pool: pool), migrateFrom: from)
                }
            }
        }
    }
}
