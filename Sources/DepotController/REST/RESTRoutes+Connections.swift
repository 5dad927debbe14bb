import DepotModel
import DepotWire
import Foundation
import HashTreeCollections
import Hummingbird

extension RESTRoutes {
    func registerConnections(on router: Router<Context>) {
        router.get("/v1/node-connections") { request, _ in
            // `node_a` / `node_b`: connections from or to that node; both: that pair.
            let query = request.uri.queryParameters
            let filters = [query.get("node_a"), query.get("node_b")].compactMap { $0 }.filter { !$0.isEmpty }.map { ObjectKey(String($0)) }
            let connections = self.snapshot.model.nodeConnections.values
                .filter { connection in filters.allSatisfy { connection.key.contains($0) } }
                .sorted { $0.key < $1.key }
            return APIResponse.json(connections.map(WireMapper.nodeConnection))
        }
        router.put("/v1/node-connections/:nodeA/:nodeB") { request, context in
            let nodeA = self.parameter(context, "nodeA")
            let nodeB = self.parameter(context, "nodeB")
            return await self.run(request, PropsModifyDTO.self, CallContext(.modify, .nodeConnection)) { body, transaction throws(DepotError) in
                try transaction.modifyNodeConnection(nodeA, nodeB, body.change)
            }
        }
        router.get("/v1/resource-definitions/:resource/resource-connections") { _, context in
            do {
                let definition = try self.snapshot.model.resourceDefinition(self.parameter(context, "resource"))
                let connections = self.snapshot.model.resourceConnections.values
                    .filter { $0.key.resource == definition.key }
                    .sorted { $0.key < $1.key }
                return APIResponse.json(connections.map(WireMapper.resourceConnection))
            } catch {
                return APIResponse.error(error, CallContext(.none, .none))
            }
        }
        router.get("/v1/resource-definitions/:resource/resource-connections/:nodeA/:nodeB") { _, context in
            do {
                let model = self.snapshot.model
                let definition = try model.resourceDefinition(self.parameter(context, "resource"))
                let nodeA = try model.resource(definition.name, on: self.parameter(context, "nodeA")).nodeName
                let nodeB = try model.resource(definition.name, on: self.parameter(context, "nodeB")).nodeName
                let key = ResourceConnectionKey(resource: definition.key, nodes: ConnectionKey(ObjectKey(nodeA), ObjectKey(nodeB)))
                // Two replicas are always connected; without own settings the connection has none.
                let connection = model.resourceConnections[key] ?? ResourceConnection(resourceName: definition.name, nodeA: nodeA, nodeB: nodeB)
                return APIResponse.json([WireMapper.resourceConnection(connection)])
            } catch {
                return APIResponse.error(error, CallContext(.none, .none))
            }
        }
        router.put("/v1/resource-definitions/:resource/resource-connections/:nodeA/:nodeB") { request, context in
            let resource = self.parameter(context, "resource")
            let nodeA = self.parameter(context, "nodeA")
            let nodeB = self.parameter(context, "nodeB")
            return await self.run(request, PropsModifyDTO.self, CallContext(.modify, .resourceConnection)) { body, transaction throws(DepotError) in
                try transaction.modifyResourceConnection(resource, nodeA, nodeB, body.change)
            }
        }
    }
}
