import DepotModel
import DepotWire
import Foundation
import HashTreeCollections
import Hummingbird

extension RESTRoutes {
    func registerStoragePools(on router: Router<Context>) {
        router.get("/v1/view/storage-pools") { request, _ in
            let query = ListQuery(request)
            return APIResponse.json(query.page(self.storagePools(query)).map(self.storagePoolDTO))
        }
        router.get("/v1/nodes/:node/storage-pools") { request, context in
            do {
                let node = try self.snapshot.model.node(self.parameter(context, "node"))
                let query = ListQuery(request)
                let pools = self.storagePools(query).filter { $0.key.node == node.key }
                return APIResponse.json(query.page(pools).map(self.storagePoolDTO))
            } catch {
                return APIResponse.error(error, CallContext(.none, .none))
            }
        }
        router.get("/v1/nodes/:node/storage-pools/:pool") { _, context in
            do {
                let pool = try self.snapshot.model.storagePool(self.parameter(context, "pool"), on: self.parameter(context, "node"))
                return APIResponse.json(self.storagePoolDTO(pool))
            } catch {
                return APIResponse.error(error, CallContext(.none, .none))
            }
        }
        router.post("/v1/nodes/:node/storage-pools") { request, context in
            let node = self.parameter(context, "node")
            return await self.run(request, StoragePoolDTO.self, CallContext(.create, .storagePool), success: .created) { body, transaction throws(DepotError) in
                try transaction.createStoragePool(node, WireMapper.newStoragePool(body))
            }
        }
        router.put("/v1/nodes/:node/storage-pools/:pool") { request, context in
            let node = self.parameter(context, "node")
            let pool = self.parameter(context, "pool")
            return await self.run(request, PropsModifyDTO.self, CallContext(.modify, .storagePool)) { body, transaction throws(DepotError) in
                try transaction.modifyStoragePool(node, pool, body.change)
            }
        }
        router.delete("/v1/nodes/:node/storage-pools/:pool") { _, context in
            let node = self.parameter(context, "node")
            let pool = self.parameter(context, "pool")
            return await self.run(CallContext(.delete, .storagePool)) { (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                try transaction.deleteStoragePool(node, pool)
            }
        }
        self.registerStoragePoolDefinitions(on: router)
    }

    /// A pool with the capacity its satellite last reported; failures show as the pool's reports.
    func storagePoolDTO(_ pool: StoragePool) -> StoragePoolDTO {
        var dto = WireMapper.storagePool(pool)
        guard pool.providerKind.hasBackingStorage, let report = self.state.satellites.poolReport(node: pool.key.node, pool: pool.key.pool) else {
            return dto
        }
        dto.freeCapacity = report.freeKiB
        dto.totalCapacity = report.totalKiB
        if let failure = report.failure {
            var entry = ApiCallRcDTO(
                retCode: ReturnCode.failUnknownError.rawValue, message: failure.message,
                details: [failure.commandLine.map { "Command: \($0)" }, failure.exitCode.map { "Exit code: \($0)" }, failure.stderrTail]
                    .compactMap { $0 }.joined(separator: "\n"))
            entry.errorReportIDs = failure.reportID.map { [$0] }
            dto.reports = [entry]
        }
        return dto
    }

    private func storagePools(_ query: ListQuery) -> [StoragePool] {
        self.snapshot.model.storagePools.values
            .filter { pool in
                (query.nodes.isEmpty || query.nodes.contains(pool.key.node))
                    && (query.storagePools.isEmpty || query.storagePools.contains(pool.key.pool))
                    && query.matches(props: pool.props)
            }
            .sorted { ($0.key.node, $0.key.pool) < ($1.key.node, $1.key.pool) }
    }

    private func registerStoragePoolDefinitions(on router: Router<Context>) {
        router.get("/v1/storage-pool-definitions") { request, _ in
            let query = ListQuery(request)
            let definitions = self.snapshot.model.storagePoolDefinitions.values
                .filter { (query.storagePools.isEmpty || query.storagePools.contains(ObjectKey($0.name))) && query.matches(props: $0.props) }
                .sorted { ObjectKey($0.name) < ObjectKey($1.name) }
            return APIResponse.json(query.page(definitions).map(WireMapper.storagePoolDefinition))
        }
        router.get("/v1/storage-pool-definitions/:pool") { _, context in
            let name = self.parameter(context, "pool")
            guard let definition = self.snapshot.model.storagePoolDefinitions[ObjectKey(name)] else {
                return APIResponse.error(ClusterTransaction.storagePoolDefinitionNotFound(name), CallContext(.none, .none))
            }
            return APIResponse.json(WireMapper.storagePoolDefinition(definition))
        }
        router.post("/v1/storage-pool-definitions") { request, _ in
            await self.run(request, StoragePoolDefinitionDTO.self, CallContext(.create, .storagePoolDefinition), success: .created) { body, transaction throws(DepotError) in
                try transaction.createStoragePoolDefinition(WireMapper.newStoragePoolDefinition(body))
            }
        }
        router.put("/v1/storage-pool-definitions/:pool") { request, context in
            let pool = self.parameter(context, "pool")
            return await self.run(request, PropsModifyDTO.self, CallContext(.modify, .storagePoolDefinition)) { body, transaction throws(DepotError) in
                try transaction.modifyStoragePoolDefinition(pool, body.change)
            }
        }
        router.delete("/v1/storage-pool-definitions/:pool") { _, context in
            let pool = self.parameter(context, "pool")
            return await self.run(CallContext(.delete, .storagePoolDefinition)) { (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                try transaction.deleteStoragePoolDefinition(pool)
            }
        }
    }
}
