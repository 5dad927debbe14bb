import DepotModel
import DepotWire
import Foundation
import HashTreeCollections
import Hummingbird

extension RESTRoutes {
    func nodeDTO(_ node: Node) -> NodeDTO {
        var dto = WireMapper.node(node, connectionStatus: self.state.satellites.status(of: node.key).rawValue)
        if let capabilities = self.state.satellites.capabilities(of: node.key) {
            dto.storageProviders = capabilities.storageProviders.nonEmpty
            dto.resourceLayers = capabilities.resourceLayers.nonEmpty
            dto.unsupportedProviders = capabilities.unsupportedProviders.nonEmpty
            dto.unsupportedLayers = capabilities.unsupportedLayers.nonEmpty
        }
        return dto
    }

    func registerNodes(on router: Router<Context>) {
        router.get("/v1/nodes") { request, _ in
            let query = ListQuery(request)
            let nodes = self.snapshot.model.nodes.values
                .filter { (query.nodes.isEmpty || query.nodes.contains($0.key)) && query.matches(props: $0.props) }
                .sorted { $0.key < $1.key }
            return APIResponse.json(query.page(nodes).map(self.nodeDTO))
        }
        router.get("/v1/nodes/:node") { _, context in
            do {
                return APIResponse.json(self.nodeDTO(try self.snapshot.model.node(self.parameter(context, "node"))))
            } catch {
                return APIResponse.error(error, CallContext(.none, .none))
            }
        }
        router.post("/v1/nodes") { request, _ in
            await self.run(request, NodeDTO.self, CallContext(.create, .node), success: .created) { body, transaction throws(DepotError) in
                try transaction.createNode(WireMapper.newNode(body))
            }
        }
        router.put("/v1/nodes/:node") { request, context in
            let node = self.parameter(context, "node")
            return await self.run(request, NodeModifyDTO.self, CallContext(.modify, .node)) { body, transaction throws(DepotError) in
                try transaction.modifyNode(node, WireMapper.nodeModification(body))
            }
        }
        router.delete("/v1/nodes/:node") { _, context in
            let node = self.parameter(context, "node")
            return await self.run(CallContext(.delete, .node)) { (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                try transaction.deleteNode(node)
            }
        }
        router.delete("/v1/nodes/:node/lost") { _, context in
            let node = self.parameter(context, "node")
            return await self.run(CallContext(.delete, .node)) { (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                try transaction.loseNode(node)
            }
        }
        router.put("/v1/nodes/:node/evacuate") { request, context in
            let node = self.parameter(context, "node")
            return await self.run(request, optional: NodeEvacuateDTO.self, CallContext(.modify, .node)) { body, transaction throws(DepotError) in
                try transaction.evacuateNode(node, WireMapper.nodeEvacuation(body))
            }
        }
        router.put("/v1/nodes/:node/restore") { _, context in
            let node = self.parameter(context, "node")
            return await self.run(CallContext(.modify, .node)) { (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                try transaction.restoreNode(node)
            }
        }
        router.put("/v1/nodes/:node/reconnect") { _, context in
            let name = self.parameter(context, "node")
            guard let node = self.snapshot.model.nodes[ObjectKey(name)] else {
                return APIResponse.error(
                    DepotError(.failNotFoundNode, "Node '\(name)' not found.", objectReferences: ["Node": name]), CallContext(.modify, .node))
            }
            self.state.satellites.reconnect(node.key)
            return APIResponse.replies(
                CallContext(.modify, .node).apply([
                    Reply(
                        .modified, "Node '\(node.name)' reconnecting.",
                        details: "The controller drops its link; the satellite probes the node again when it reconnects.",
                        objectReferences: ["Node": node.name])
                ]))
        }
        self.registerNetInterfaces(on: router)
    }

    private func registerNetInterfaces(on router: Router<Context>) {
        router.get("/v1/nodes/:node/net-interfaces") { _, context in
            do {
                let node = try self.snapshot.model.node(self.parameter(context, "node"))
                return APIResponse.json(node.netInterfaces.map { WireMapper.netInterface($0, of: node) })
            } catch {
                return APIResponse.error(error, CallContext(.none, .none))
            }
        }
        router.get("/v1/nodes/:node/net-interfaces/:netif") { _, context in
            do {
                let node = try self.snapshot.model.node(self.parameter(context, "node"))
                let name = self.parameter(context, "netif")
                guard let interface = node.netInterface(named: name) else {
                    throw ClusterTransaction.netInterfaceNotFound(name, node.name)
                }
                return APIResponse.json(WireMapper.netInterface(interface, of: node))
            } catch {
                return APIResponse.error(error, CallContext(.none, .none))
            }
        }
        router.post("/v1/nodes/:node/net-interfaces") { request, context in
            let node = self.parameter(context, "node")
            return await self.run(request, NetInterfaceDTO.self, CallContext(.create, .netInterface), success: .created) { body, transaction throws(DepotError) in
                try transaction.createNetInterface(node, WireMapper.netInterfaceSettings(body))
            }
        }
        router.put("/v1/nodes/:node/net-interfaces/:netif") { request, context in
            let node = self.parameter(context, "node")
            let interface = self.parameter(context, "netif")
            return await self.run(request, NetInterfaceDTO.self, CallContext(.modify, .netInterface)) { body, transaction throws(DepotError) in
                try transaction.modifyNetInterface(node, interface, WireMapper.netInterfaceSettings(body))
            }
        }
        router.delete("/v1/nodes/:node/net-interfaces/:netif") { _, context in
            let node = self.parameter(context, "node")
            let interface = self.parameter(context, "netif")
            return await self.run(CallContext(.delete, .netInterface)) { (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                try transaction.deleteNetInterface(node, interface)
            }
        }
    }
}
