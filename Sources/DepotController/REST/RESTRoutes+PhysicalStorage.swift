import DepotModel
import DepotWire
import Foundation
import HashTreeCollections
import Hummingbird

extension RESTRoutes {
    /// LINSTOR's physical storage calls: the unused disks of every node grouped by size and kind,
    /// one node's disks, and `create-device-pool`, which makes a volume group, thin pool or zpool
    /// on some of them and, when asked, the storage pool on it.
    func registerPhysicalStorage(on router: Router<Context>) {
        router.get("/v1/physical-storage") { request, _ in
            let query = ListQuery(request)
            return APIResponse.json(query.page(Self.grouped(await self.unusedDisksOfOnlineNodes())))
        }
        router.get("/v1/physical-storage/:node") { _, context in
            let node: Node
            do {
                node = try self.snapshot.model.node(self.parameter(context, "node"))
            } catch {
                return APIResponse.error(error, CallContext(.none, .physicalDevice))
            }
            let answer = await self.state.satellites.ask(node.key, within: Self.listAnswerLimit) { id in
                SatelliteQuery(requestID: id, action: .listPhysicalStorage)
            }
            guard let answer else { return APIResponse.replies([self.notAnswered(node, within: Self.listAnswerLimit)]) }
            if let failure = answer.failure {
                return APIResponse.replies([Reply(.failUnknownError, "Listing the disks of node '\(node.name)' failed.", cause: failure, objectReferences: ["Node": node.name])])
            }
            return APIResponse.json(answer.devices ?? [])
        }
        router.post("/v1/physical-storage/:node") { request, context in
            var request = request
            let body: PhysicalStorageCreateDTO
            do throws(RejectedRequest) {
                body = try await request.decodeBody(PhysicalStorageCreateDTO.self)
            } catch {
                return error.response
            }
            let call = CallContext(.create, .physicalDevice)
            do throws(DepotError) {
                return APIResponse.replies(call.apply(try await self.createDevicePool(self.parameter(context, "node"), body)), successStatus: .created)
            } catch {
                return APIResponse.replies(call.apply([Reply(error)]))
            }
        }
    }

    static let listAnswerLimit: Duration = .seconds(30)
    /// `pvcreate`, `vgcreate` and `lvcreate` may each take up to two minutes on a slow disk.
    static let createAnswerLimit: Duration = .seconds(400)

    private func unusedDisksOfOnlineNodes() async -> [(String, [PhysicalStorageNodeDTO])] {
        let nodes = self.snapshot.model.nodes.values.filter { $0.type.runsSatellite && self.state.satellites.status(of: $0.key) == .online }
        let satellites = self.state.satellites
        return await withTaskGroup(of: (String, [PhysicalStorageNodeDTO]).self) { group in
            for node in nodes {
                group.addTask {
                    let answer = await satellites.ask(node.key, within: Self.listAnswerLimit) { id in SatelliteQuery(requestID: id, action: .listPhysicalStorage) }
                    return (node.name, answer?.devices ?? [])
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
    }

    /// One entry per disk size and kind, smallest first, each with every node's disks of it.
    static func grouped(_ disks: [(String, [PhysicalStorageNodeDTO])]) -> [PhysicalStorageDTO] {
        struct Kind: Hashable, Comparable {
            let size: Int64
            let rotational: Bool
            static func < (a: Kind, b: Kind) -> Bool { (a.size, a.rotational ? 1 : 0) < (b.size, b.rotational ? 1 : 0) }
        }
        var groups: [Kind: [String: [PhysicalStorageDeviceDTO]]] = [:]
        for (node, devices) in disks {
            for disk in devices {
                groups[Kind(size: disk.size, rotational: disk.rotational), default: [:]][node, default: []].append(
                    PhysicalStorageDeviceDTO(device: disk.device, model: disk.model, serial: disk.serial, wwn: disk.wwn))
            }
        }
        return groups.keys.sorted().map { PhysicalStorageDTO(size: $0.size, rotational: $0.rotational, nodes: groups[$0] ?? [:]) }
    }

    /// Checks everything first, the storage pool too, so that a refusal leaves the disks untouched;
    /// then has the satellite make the device pool, then registers the storage pool.
    private func createDevicePool(_ nodeName: String, _ body: PhysicalStorageCreateDTO) async throws(DepotError) -> [Reply] {
        let node = try self.snapshot.model.node(nodeName)
        let order = try DevicePoolRequest.order(body)
        let storagePool = body.withStoragePool.map { DevicePoolRequest.storagePool($0, order: order) }
        if let storagePool {
            let satellites = self.state.satellites
            var trial = ClusterTransaction(model: self.snapshot.model, now: 0, capabilities: { satellites.capabilities(of: $0) })
            _ = try trial.createStoragePool(node.name, storagePool)
        }
        guard self.state.satellites.status(of: node.key) == .online else {
            throw DepotError(
                .failNotConnected, "Node '\(node.name)' is \(self.state.satellites.status(of: node.key).rawValue.lowercased()); no device pool was created.",
                correction: "Create the device pool once 'node list' shows the node ONLINE.", objectReferences: ["Node": node.name])
        }
        let answer = await self.state.satellites.ask(node.key, within: Self.createAnswerLimit) { id in
            SatelliteQuery(requestID: id, action: .createDevicePool, devicePool: order)
        }
        guard let answer else { return [self.notAnswered(node, within: Self.createAnswerLimit)] }
        var replies = (answer.steps ?? []).map { Reply(.created, $0, objectReferences: ["Node": node.name, "PoolName": order.poolName]) }
        if let failure = answer.failure {
            replies.append(
                Reply(
                    .failUnknownError, "The device pool '\(order.poolName)' was not created on node '\(node.name)'.", cause: failure,
                    correction: replies.isEmpty ? nil : "What was made before the failure was removed again.", objectReferences: ["Node": node.name]))
            return replies
        }
        if let storagePool {
            let registered = await self.state.mutate(CallContext(.create, .storagePool)) { (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                try transaction.createStoragePool(node.name, storagePool)
            }
            replies += CallContext(.create, .storagePool).apply(registered)
        }
        return replies
    }

    private func notAnswered(_ node: Node, within limit: Duration) -> Reply {
        Reply(
            .failNotConnected, "The satellite of node '\(node.name)' did not answer.",
            cause: "It is \(self.state.satellites.status(of: node.key).rawValue.lowercased()) or did not answer within \(limit).",
            correction: "Try again once 'node list' shows the node ONLINE; 'physical-storage list' shows whether the disks are still unused.",
            objectReferences: ["Node": node.name])
    }
}
