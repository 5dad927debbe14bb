import DepotModel
import DepotWire
import Foundation
import HashTreeCollections
import Hummingbird

extension RESTRoutes {
    /// How long a rollback call waits for the replicas before answering that it goes on.
    static let rollbackWait: Duration = .seconds(120)

    func registerSnapshots(on router: Router<Context>) {
        router.get("/v1/view/snapshots") { request, _ in
            let query = ListQuery(request)
            let snapshots = self.snapshot.model.snapshots.values.filter { snapshot in
                (query.resources.isEmpty || query.resources.contains(snapshot.key.resource))
                    && (query.nodes.isEmpty || snapshot.nodes.keys.contains { query.nodes.contains(ObjectKey($0)) })
            }.sorted { $0.key < $1.key }
            return APIResponse.json(query.page(snapshots).map(WireMapper.snapshot))
        }
        router.get("/v1/resource-definitions/:resource/snapshots") { request, context in
            do {
                let definition = try self.snapshot.model.resourceDefinition(self.parameter(context, "resource"))
                let query = ListQuery(request)
                let snapshots = self.snapshot.model.snapshots(of: definition.key).filter { snapshot in
                    query.nodes.isEmpty || snapshot.nodes.keys.contains { query.nodes.contains(ObjectKey($0)) }
                }
                return APIResponse.json(query.page(snapshots).map(WireMapper.snapshot))
            } catch {
                return APIResponse.error(error, CallContext(.none, .none))
            }
        }
        router.get("/v1/resource-definitions/:resource/snapshots/:snapshot") { _, context in
            do {
                let model = self.snapshot.model
                let definition = try model.resourceDefinition(self.parameter(context, "resource"))
                return APIResponse.json(WireMapper.snapshot(try model.snapshot(self.parameter(context, "snapshot"), of: definition.name)))
            } catch {
                return APIResponse.error(error, CallContext(.none, .none))
            }
        }
        router.post("/v1/resource-definitions/:resource/snapshots") { request, context in
            let resource = self.parameter(context, "resource")
            var request = request
            let body: SnapshotDTO
            do throws(RejectedRequest) {
                body = try await request.decodeBody(SnapshotDTO.self)
            } catch {
                return error.response
            }
            return await self.takeSnapshots([(resource, body)], group: nil)
        }
        router.post("/v1/actions/snapshot/multi") { request, _ in
            var request = request
            let body: SnapshotMultiCreateDTO
            do throws(RejectedRequest) {
                body = try await request.decodeBody(SnapshotMultiCreateDTO.self)
            } catch {
                return error.response
            }
            let snapshots = (body.snapshots ?? []).map { ($0.resourceName ?? "", $0) }
            return await self.takeSnapshots(snapshots, group: Identifier.makeUUID())
        }
        router.put("/v1/resource-definitions/:resource/snapshots/:snapshot") { request, context in
            let resource = self.parameter(context, "resource")
            let name = self.parameter(context, "snapshot")
            return await self.run(request, PropsModifyDTO.self, CallContext(.modify, .snapshot)) { body, transaction throws(DepotError) in
                try transaction.modifySnapshot(resource, name, WireMapper.propertyChange(body.overrideProps, body.deleteProps, body.deleteNamespaces))
            }
        }
        router.delete("/v1/resource-definitions/:resource/snapshots/:snapshot") { request, context in
            let resource = self.parameter(context, "resource")
            let name = self.parameter(context, "snapshot")
            let nodes = request.uri.queryParameters.getAll("nodes").flatMap { $0.split(separator: ",") }.map(String.init)
            return await self.run(CallContext(.delete, .snapshot)) { (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                try transaction.deleteSnapshot(resource, name, nodes: nodes)
            }
        }
        self.registerSnapshotRestore(on: router)
        self.registerClone(on: router)
    }

    private func registerClone(on router: Router<Context>) {
        router.post("/v1/resource-definitions/:resource/clone") { request, context in
            let source = self.parameter(context, "resource")
            var request = request
            let body: ResourceDefinitionCloneRequestDTO
            do throws(RejectedRequest) {
                body = try await request.decodeBody(ResourceDefinitionCloneRequestDTO.self)
            } catch {
                return error.response
            }
            let clone = CloneRequest(
                name: body.name, externalName: body.externalName, layerList: body.layerList, resourceGroup: body.resourceGroup,
                overrideProps: body.overrideProps ?? [:], deleteProps: body.deleteProps ?? [], deleteNamespaces: body.deleteNamespaces ?? [],
                volumePassphrases: body.volumePassphrases ?? [])
            var replies = await self.state.mutate(CallContext(.create, .resourceDefinition), waitForSatellites: false) {
                (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                try transaction.startClone(source, clone)
            }
            let target = replies.first { $0.code.isError == false }?.objectReferences["RscDfn"]
            if !replies.contains(where: { $0.code.isError }), let target, let pending = self.snapshot.model.resourceDefinitions[ObjectKey(target)]?.clone {
                await self.state.advanceSnapshots()
                let key = SnapshotKey(resource: ObjectKey(pending.source), snapshot: ObjectKey(pending.snapshot))
                let ended = await self.state.awaitSnapshot(key, deadline: .now + ClusterState.snapshotTimeout)
                replies += await self.state.mutate(CallContext(.create, .resource), waitForSatellites: false) {
                    (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                    try transaction.restoreClone(target)
                }
                // The clone may have failed in the controller's own steps: the caller must hear why.
                if self.snapshot.model.resourceDefinitions[ObjectKey(target)]?.flags.contains(CloneFlag.failed) == true,
                    !replies.contains(where: { $0.code.isError })
                {
                    replies.append(
                        contentsOf: CallContext(.create, .resourceDefinition).apply([
                            Reply(
                                .failUnknownError, "Cloning '\(source)' to '\(target)' failed: its snapshot could not be taken.",
                                cause: ended?.failure, correction: "Delete '\(target)', fix the cause, and clone again.", objectReferences: ["RscDfn": target])
                        ]))
                }
            }
            let name = target ?? body.name ?? "__invalid_name__"
            let started = ResourceDefinitionCloneStartedDTO(
                location: "/v1/resource-definitions/\(source)/clone/\(name)", sourceName: source, cloneName: name, messages: APIResponse.wire(replies))
            return APIResponse.json(started, status: APIResponse.status(for: replies, success: .created))
        }
        router.get("/v1/resource-definitions/:resource/clone/:clone") { _, context in
            let source = self.parameter(context, "resource")
            let name = self.parameter(context, "clone")
            let model = self.snapshot.model
            guard let target = model.resourceDefinitions[ObjectKey(name)], target.props[CloneFlag.clonedFromKey].map({ ObjectKey($0) == ObjectKey(source) }) == true else {
                return APIResponse.error(
                    DepotError(.failNotFoundResourceDefinition, "Cloned resource not found.", cause: "No resource definition '\(name)' was cloned from '\(source)'."),
                    CallContext(.none, .none))
            }
            let status: String
            if target.flags.contains(CloneFlag.failed) {
                status = "FAILED"
            } else if target.flags.contains(CloneFlag.cloning) {
                status = "CLONING"
            } else {
                status = await self.state.isSyncedOnAll(target.key) ? "COMPLETE" : "CLONING"
            }
            return APIResponse.json(ResourceDefinitionCloneStatusDTO(status: status))
        }
    }

    private func registerSnapshotRestore(on router: Router<Context>) {
        router.post("/v1/resource-definitions/:resource/snapshot-restore-volume-definition/:snapshot") { request, context in
            let resource = self.parameter(context, "resource")
            let name = self.parameter(context, "snapshot")
            return await self.run(request, SnapshotRestoreDTO.self, CallContext(.create, .volumeDefinition)) { body, transaction throws(DepotError) in
                try transaction.restoreVolumeDefinitions(resource, name, to: body.toResource)
            }
        }
        router.post("/v1/resource-definitions/:resource/snapshot-restore-resource/:snapshot") { request, context in
            let resource = self.parameter(context, "resource")
            let name = self.parameter(context, "snapshot")
            return await self.run(request, SnapshotRestoreDTO.self, CallContext(.create, .resource)) { body, transaction throws(DepotError) in
                try transaction.restoreResources(resource, name, to: body.toResource, nodes: body.nodes ?? [], poolRenames: body.storPoolRename ?? [:])
            }
        }
        router.post("/v1/resource-definitions/:resource/snapshot-rollback/:snapshot") { request, context in
            let resource = self.parameter(context, "resource")
            let name = self.parameter(context, "snapshot")
            var request = request
            do throws(RejectedRequest) {
                _ = try await request.decodeBodyIfPresent(SnapshotRollbackDTO.self)
            } catch {
                return error.response
            }
            let replies = await self.state.mutate(CallContext(.modify, .resourceDefinition), waitForSatellites: false) {
                (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                try transaction.rollback(resource, to: name)
            }
            guard !replies.contains(where: { $0.code.isError }), let id = self.snapshot.model.resourceDefinitions[ObjectKey(resource)]?.rollback?.id else {
                return APIResponse.replies(replies)
            }
            let finished = await self.state.awaitRollback(ObjectKey(resource), id: id, deadline: .now + Self.rollbackWait)
            return APIResponse.replies(replies + CallContext(.modify, .resourceDefinition).apply([self.rollbackOutcome(resource, name, finished: finished)]))
        }
    }

    private func rollbackOutcome(_ resource: String, _ name: String, finished: Bool) -> Reply {
        let references = ["RscDfn": resource, "Snapshot": name]
        guard finished else {
            let waiting = self.snapshot.model.resourceDefinitions[ObjectKey(resource)]?.rollback?.waitingFor.sorted() ?? []
            return Reply(
                .warnNotConnected, "The rollback of '\(resource)' to snapshot '\(name)' is still going on.",
                cause: "Nodes that have not reported it done: " + waiting.joined(separator: ", ") + ".",
                correction: "'resource list -r \(resource)' shows the replicas and any error.", objectReferences: references)
        }
        return Reply(.modified, "Resource '\(resource)' rolled back to snapshot '\(name)'.", objectReferences: references)
    }

    /// Registers the snapshots, waits until every node took them (I/O held meanwhile), and answers
    /// with how each ended.
    private func takeSnapshots(_ requests: [(resource: String, body: SnapshotDTO)], group: String?) async -> Response {
        let context = CallContext(.create, .snapshot)
        let replies = await self.state.mutate(context, waitForSatellites: false) { (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
            guard !requests.isEmpty else {
                throw DepotError(.failInvalidRequest, "No snapshot to create was given.", correction: "Name at least one snapshot.")
            }
            var replies: [Reply] = []
            for (resource, body) in requests {
                let request = NewSnapshot(name: body.name, nodes: body.nodes ?? [], props: body.props ?? [:], flags: [], group: group)
                replies += try transaction.createSnapshot(resource, request)
            }
            return replies
        }
        guard !replies.contains(where: { $0.code.isError }) else { return APIResponse.replies(replies, successStatus: .created) }
        await self.state.advanceSnapshots()
        let deadline = ContinuousClock.now + ClusterState.snapshotTimeout
        var outcome: [Reply] = []
        let names = "[" + requests.map(\.resource).joined(separator: ", ") + "]"
        for (resource, body) in requests {
            let key = SnapshotKey(resource: ObjectKey(resource), snapshot: ObjectKey(body.name ?? ""))
            let ended = await self.state.awaitSnapshot(key, deadline: deadline)
            outcome += Self.snapshotOutcome(ended, resource: resource, name: body.name ?? "", names: names)
        }
        return APIResponse.replies(replies + context.apply(outcome), successStatus: .created)
    }

    /// LINSTOR's per-node steps when the snapshot was taken, or why it failed.
    private static func snapshotOutcome(_ snapshot: SnapshotDefinition?, resource: String, name: String, names: String) -> [Reply] {
        let references = ["RscDfn": resource, "Snapshot": name]
        guard let snapshot else {
            return [Reply(.failNotFoundSnapshotDefinition, "Snapshot '\(name)' of resource '\(resource)' was deleted while it was taken.", objectReferences: references)]
        }
        let nodes = snapshot.nodes.keys.sorted()
        if snapshot.isSuccessful {
            return nodes.map { Reply(.modified, "Suspended IO of '\(names)' on '\($0)' for snapshot", objectReferences: references) }
                + nodes.map { Reply(.modified, "Took snapshot of '\(names)' on '\($0)'", objectReferences: references) }
                + nodes.map { Reply(.modified, "Resumed IO of '\(names)' on '\($0)' after snapshot", objectReferences: references) }
        }
        let failed = Reply(
            snapshot.flags.contains(SnapshotFlag.failedDisconnect) ? .failNotConnected : .failUnknownError,
            "Snapshot '\(snapshot.name)' of resource '\(snapshot.resourceName)' failed.",
            cause: snapshot.failure ?? (snapshot.phase == nil ? "Unknown." : "It is still being aborted."),
            correction: "I/O runs again on every replica and the partial snapshots are removed. Delete the failed snapshot "
                + "('snapshot delete \(snapshot.resourceName) \(snapshot.name)'), fix the cause, and take it again.",
            objectReferences: references)
        return nodes.map { Reply(.modified, "Aborted snapshot and resumed IO of '\(snapshot.resourceName)' on '\($0)'", objectReferences: references) } + [failed]
    }
}
