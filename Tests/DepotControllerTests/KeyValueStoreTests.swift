import DepotModel
import DepotReports
import DepotTestSupport
import DepotWire
import Foundation
import HTTPTypes
import HashTreeCollections
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import DepotController

@Suite struct KeyValueStoreOperationTests {
    private let modified = ReturnCode.modified.inContext(.modify, .controllerConfig)

    private func modify(_ name: String, _ change: PropertyChange, in transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] {
        try transaction.modifyKeyValueStore(KeyValueStoreModification(name: name, props: change))
    }

    @Test func theFirstPropertyCreatesTheInstanceAndKeepsItsSpelling() throws {
        var transaction = ClusterTransaction.empty()
        let replies = try self.modify("myKV", PropertyChange(overrideProps: ["/a/b": "1"]), in: &transaction)
        #expect(replies.map(\.code) == [self.modified])
        #expect(replies.first?.code.rawValue == 0x210_0003)
        _ = try self.modify("MYKV", PropertyChange(overrideProps: ["c": "2"]), in: &transaction)
        let store = try #require(transaction.model.keyValueStores[ObjectKey("mykv")])
        #expect(store.name == "myKV")
        #expect(store.props == ["a/b": "1", "c": "2"])
        #expect(transaction.affectedNodes.isEmpty)
    }

    @Test func removingTheLastPropertyRemovesTheInstance() throws {
        var transaction = ClusterTransaction.empty()
        let before = transaction.changes.count
        _ = try self.modify("drv", PropertyChange(overrideProps: ["a/x": "1", "a/y": "2"]), in: &transaction)
        let replies = try self.modify("drv", PropertyChange(deleteNamespaces: ["a"]), in: &transaction)
        #expect(replies.map(\.code) == [self.modified])
        #expect(replies.first?.message.contains("removed") == true)
        #expect(transaction.model.keyValueStores.isEmpty)
        #expect(transaction.changes.count == before + 2)
    }

    @Test func aChangeThatLeavesNothingCreatesNothing() throws {
        var transaction = ClusterTransaction.empty()
        let before = transaction.changes.count
        let replies = try self.modify("drv", PropertyChange(overrideProps: ["k": "v"], deleteProps: ["k"]), in: &transaction)
        #expect(replies.map(\.code) == [self.modified])
        #expect(replies.first?.message.contains("not created") == true)
        #expect(transaction.model.keyValueStores.isEmpty)
        #expect(transaction.changes.count == before)
    }

    @Test func settingTheSameValuesWritesNothing() throws {
        var transaction = ClusterTransaction.empty()
        _ = try self.modify("drv", PropertyChange(overrideProps: ["k": "v"]), in: &transaction)
        let before = transaction.changes.count
        _ = try self.modify("drv", PropertyChange(overrideProps: ["/k": "v"], deleteProps: ["never"]), in: &transaction)
        #expect(transaction.changes.count == before)
    }

    @Test func invalidNamesAndKeysAreRefused() throws {
        var transaction = ClusterTransaction.empty()
        #expect {
            try self.modify("kv store", PropertyChange(overrideProps: ["k": "v"]), in: &transaction)
        } throws: { error in
            (error as? DepotError)?.code == .failInvalidKeyValueStoreName
        }
        #expect {
            try transaction.deleteKeyValueStore("1kv")
        } throws: { error in
            (error as? DepotError)?.code == .failInvalidKeyValueStoreName
        }
        #expect {
            try self.modify("drv", PropertyChange(overrideProps: [String(repeating: "k", count: 300): "v"]), in: &transaction)
        } throws: { error in
            (error as? DepotError)?.code == .failInvalidProperty
        }
        #expect(transaction.model.keyValueStores.isEmpty)
    }

    @Test func deleteRemovesOrWarns() throws {
        var transaction = ClusterTransaction.empty()
        _ = try self.modify("drv", PropertyChange(overrideProps: ["k": "v"]), in: &transaction)
        let deleted = try transaction.deleteKeyValueStore("DRV")
        #expect(deleted.map(\.code) == [.deleted])
        #expect(deleted.first?.message.contains("'drv'") == true)
        #expect(transaction.model.keyValueStores.isEmpty)
        #expect(try transaction.deleteKeyValueStore("drv").map(\.code) == [.warnNotFound])
    }

    @Test func instancesSurviveARestart() async throws {
        let store = MemoryStore()
        let state = try await makeState(store)
        let change = KeyValueStoreModification(name: "drv", props: PropertyChange(overrideProps: ["vol/1": "1024"]))
        let replies = await state.mutate(CallContext(.none, .none)) { (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
            try transaction.modifyKeyValueStore(change)
        }
        #expect(replies.map(\.code) == [self.modified])
        let restarted = try await makeState(store.reopened())
        #expect(restarted.publisher.snapshot.model.keyValueStores[ObjectKey("drv")]?.props == ["vol/1": "1024"])
    }
}

@Suite struct KeyValueStoreRouteTests {
    private func withClient(_ store: MemoryStore = MemoryStore(), _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let state = try await makeState(store)
        let controller = DepotController(config: ControllerConfig(), logger: Logger(label: "test"), logLevel: RuntimeLogLevel(.info))
        let app = controller.makeApplication(state: state) { _ in }
        try await app.test(.router) { client in try await body(client) }
    }

    private func replies(_ response: TestResponse) throws -> [ApiCallRcDTO] {
        try JSONDecoder().decode([ApiCallRcDTO].self, from: Data(response.body.readableBytesView))
    }

    private func stores(_ response: TestResponse) throws -> [KeyValueStoreDTO] {
        try JSONDecoder().decode([KeyValueStoreDTO].self, from: Data(response.body.readableBytesView))
    }

    private func put(_ client: any TestClientProtocol, _ uri: String, _ json: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .put, body: ByteBuffer(string: json))
    }

    @Test func numbersAreStoredAsTheirTextAndListedAsLINSTORListsThem() async throws {
        try await self.withClient { client in
            let set = try await self.put(client, "/v1/key-value-store/drv", #"{"override_props":{"/vol/1/size":1024,"ratio":1.50,"on":true,"name":"x"}}"#)
            #expect(set.status == .ok)
            #expect(try self.replies(set).map(\.retCode) == [0x210_0003])
            _ = try await self.put(client, "/v1/key-value-store/other", #"{"override_props":{"k":"v"}}"#)
            let all = try await client.execute(uri: "/v1/key-value-store", method: .get)
            #expect(try self.stores(all).map(\.name) == ["drv", "other"])
            let one = try await client.execute(uri: "/v1/key-value-store/DRV", method: .get)
            #expect(one.status == .ok)
            #expect(try self.stores(one).first?.props == ["vol/1/size": "1024", "ratio": "1.50", "on": "true", "name": "x"])
        }
    }

    @Test func unknownInstancesAndBadNamesAnswerAsLINSTOR() async throws {
        let store = MemoryStore()
        try await self.withClient(store) { client in
            let missing = try await client.execute(uri: "/v1/key-value-store/ghost", method: .get)
            #expect(missing.status == .notFound)
            #expect(try self.replies(missing).map(\.retCode) == [ReturnCode.failNotFoundKeyValueStore.rawValue])
            let before = store.commits
            let bad = try await self.put(client, "/v1/key-value-store/kv%20store", #"{"override_props":{"k":"v"}}"#)
            #expect(bad.status == .internalServerError)
            #expect(try self.replies(bad).map(\.retCode) == [ReturnCode.failInvalidKeyValueStoreName.rawValue])
            let null = try await self.put(client, "/v1/key-value-store/drv", #"{"override_props":{"k":null}}"#)
            #expect(null.status == .internalServerError)
            #expect(try self.replies(null).map(\.retCode) == [ReturnCode.failInvalidProperty.rawValue])
            let unparsable = try await self.put(client, "/v1/key-value-store/drv", #"{"override_props":{"k":"v"},"extra":1}"#)
            #expect(unparsable.status == .badRequest)
            #expect(store.commits == before)
            let list = try await client.execute(uri: "/v1/key-value-store", method: .get)
            #expect(String(buffer: list.body) == "[]")
        }
    }

    @Test func deleteAnswersBareCodes() async throws {
        try await self.withClient { client in
            _ = try await self.put(client, "/v1/key-value-store/drv", #"{"override_props":{"k":"v"}}"#)
            let deleted = try await client.execute(uri: "/v1/key-value-store/drv", method: .delete)
            #expect(deleted.status == .ok)
            #expect(try self.replies(deleted).map(\.retCode) == [ReturnCode.deleted.rawValue])
            let again = try await client.execute(uri: "/v1/key-value-store/drv", method: .delete)
            #expect(again.status == .ok)
            #expect(try self.replies(again).map(\.retCode) == [ReturnCode.warnNotFound.rawValue])
        }
    }
}
