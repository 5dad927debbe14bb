import DepotModel
import DepotStore
import DepotTestSupport
import DepotWire
import Testing

@testable import DepotController

/// What the controller leaves out at start, and how it keeps the nodes from acting on it.
@Suite struct DatabaseCheckTests {
    /// The article's cluster with two DRBD definitions, committed to a memory store.
    private func storedCluster() async throws -> MemoryStore {
        var transaction = try ClusterTransaction.article()
        for name in ["first", "second"] {
            _ = try transaction.createResourceDefinition(Body.definition(name, layers: ["drbd", "storage"]))
            _ = try transaction.createVolumeDefinition(name, Body.volume(1024))
            _ = try transaction.createResources(name, [Body.resource(on: "vulcan"), Body.resource(on: "kronos")])
        }
        let store = MemoryStore()
        try await store.commit(transaction.changes)
        return store
    }

    @Test func aConsistentDatabaseHasNoFindings() async throws {
        let stored = try await self.storedCluster().load()
        let check = DatabaseCheck(stored)
        #expect(check.findings.isEmpty)
        #expect(check.cluster[Resource.self].count == 4)
    }

    @Test func danglingReferencesAndDuplicateNumbersAreLeftOutWithWhatDependsOnThem() async throws {
        var stored = try await self.storedCluster().load()
        stored.set(stored[Node.self].filter { $0.name != "kronos" }, of: Node.self)
        stored.set(
            stored[ResourceDefinition.self].map { definition in
                var definition = definition
                if definition.name == "second" { definition.volumeDefinitions[0]?.drbdMinor = 1000 }
                return definition
            }, of: ResourceDefinition.self)
        stored.damaged = [DamagedRow(table: "key_value_stores", key: ["BROKEN"], reason: "the field name is missing in the document")]

        let check = DatabaseCheck(stored)
        let found = Set(check.findings.map { [$0.table] + $0.key })
        #expect(
            found == [
                ["key_value_stores", "BROKEN"],
                ["storage_pools", "KRONOS", "THINPOOL"], ["storage_pools", "KRONOS", "DFLTDISKLESSSTORPOOL"],
                ["resource_definitions", "SECOND"],
                ["resource_rows", "FIRST", "KRONOS"], ["resource_rows", "SECOND", "KRONOS"], ["resource_rows", "SECOND", "VULCAN"],
            ])
        #expect(check.findings.first?.table == "key_value_stores", "rows that do not decode come first")
        let minor = try #require(check.findings.first { $0.table == "resource_definitions" })
        #expect(minor.reason == "DRBD minor 1000 of volume 0 is also used by first")
        let orphan = try #require(check.findings.first { $0.key == ["FIRST", "KRONOS"] })
        #expect(orphan.reason == "its node kronos does not exist")
        #expect(check.cluster[Resource.self].map(\.key) == [ResourceKey(resource: ObjectKey("first"), node: ObjectKey("vulcan"))])

        let quarantine = check.quarantine
        #expect(quarantine.heldResources(on: ObjectKey("vulcan")) == ["SECOND"])
        #expect(quarantine.heldResources(on: ObjectKey("kronos")) == ["FIRST", "SECOND"])
    }

    @Test func aDuplicateDRBDNodeIDLeavesOutTheLaterReplica() async throws {
        var stored = try await self.storedCluster().load()
        let resources = stored[Resource.self]
        let first = resources.filter { $0.resourceName == "first" }.sorted { $0.createTimestamp < $1.createTimestamp || $0.key < $1.key }
        stored.set(
            resources.map { resource in
                var resource = resource
                if resource.key == first[1].key { resource.drbd?.nodeID = first[0].drbd?.nodeID ?? 0 }
                return resource
            }, of: Resource.self)
        let check = DatabaseCheck(stored)
        #expect(check.findings.map(\.key) == [first[1].key.columnValues])
        #expect(check.findings.first?.reason.hasPrefix("DRBD node id") == true)
    }

    /// The controller starts, serves the rest, tells the nodes to keep what it left out, and
    /// refuses a change that would overwrite a row left out.
    @Test func theControllerStartsWithoutTheRowsAndRefusesToOverwriteThem() async throws {
        let store = try await self.storedCluster()
        try await store.commit([.remove(Node.self, key: ObjectKey("kronos"))])
        let state = try await makeState(store.reopened())
        defer { removeErrorReports(of: state) }
        let snapshot = state.publisher.snapshot
        #expect(snapshot.model.nodes.count == 3)
        #expect(snapshot.model.quarantine.rows.count == 4)
        #expect(snapshot.model.resources.count == 2)
        #expect(DesiredStateBuilder.state(for: ObjectKey("vulcan"), in: snapshot)?.heldResources == nil)

        let replies = await state.mutate(CallContext(.create, .node)) { (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
            try transaction.createNode(Body.node("kronos", address: "127.0.0.14"))
        }
        let refusal = try #require(replies.first)
        #expect(refusal.code.isError)
        #expect(refusal.message.contains("storage_pools 'KRONOS/"))
        #expect(state.publisher.snapshot.model.nodes.count == 3, "nothing changed")
    }
}
