import DepotModel
import DepotTestSupport
import DepotWire
import HashTreeCollections
import Testing

@testable import DepotController

@Suite struct GroupCommitTests {
    private func createGroup(_ state: ClusterState, _ name: String) async -> [Reply] {
        let body = NewResourceGroup(name: name)
        return await state.mutate(CallContext(.create, .resourceGroup)) { (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
            try transaction.createResourceGroup(body)
        }
    }

    @Test func concurrentChangesShareCommitsAndAllLand() async throws {
        let store = MemoryStore(commitDelay: .milliseconds(20))
        let state = try await makeState(store)
        let before = store.commits
        let names = (0..<40).map { "group\($0)" }
        let replies = await withTaskGroup(of: [Reply].self) { group in
            for name in names { group.addTask { await self.createGroup(state, name) } }
            return await group.reduce(into: [[Reply]]()) { $0.append($1) }
        }
        #expect(replies.count == 40)
        #expect(replies.allSatisfy { $0.first?.code == ReturnCode.created.inContext(.create, .resourceGroup) })
        #expect(store.commits - before < 40)
        let published = state.publisher.snapshot.model.resourceGroups
        #expect(names.allSatisfy { published[ObjectKey($0)] != nil })
    }

    @Test func aFailedCommitFailsItsBatchAndChangesNothing() async throws {
        let store = MemoryStore(commitDelay: .milliseconds(20))
        let state = try await makeState(store)
        defer { removeErrorReports(of: state) }
        store.failCommits(true)
        let replies = await withTaskGroup(of: [Reply].self) { group in
            for index in 0..<10 { group.addTask { await self.createGroup(state, "lost\(index)") } }
            return await group.reduce(into: [[Reply]]()) { $0.append($1) }
        }
        #expect(replies.allSatisfy { $0.first?.code == ReturnCode.failSQL.inContext(.create, .resourceGroup) })
        store.failCommits(false)
        #expect(state.publisher.snapshot.model.resourceGroups.count == 1)
        let after = await self.createGroup(state, "lost0")
        #expect(after.first?.code == ReturnCode.created.inContext(.create, .resourceGroup))
    }

    @Test func invalidChangesAreAnsweredWithoutACommit() async throws {
        let store = MemoryStore()
        let state = try await makeState(store)
        let before = store.commits
        let replies = await self.createGroup(state, "x")
        #expect(replies.first?.code == ReturnCode.failInvalidResourceGroupName.inContext(.create, .resourceGroup))
        #expect(store.commits == before)
    }
}
