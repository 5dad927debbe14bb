import DepotModel
import DepotReports
import DepotTestSupport
import DepotWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import DepotController

@Suite struct RESTRoutesTests {
    private func withClient(_ store: MemoryStore = MemoryStore(), _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let state = try await makeState(store)
        defer { removeErrorReports(of: state) }
        let controller = DepotController(config: ControllerConfig(), logger: Logger(label: "test"), logLevel: RuntimeLogLevel(.info))
        let app = controller.makeApplication(state: state) { _ in }
        try await app.test(.router) { client in try await body(client) }
    }

    private func replies(_ response: TestResponse) throws -> [ApiCallRcDTO] {
        try JSONDecoder().decode([ApiCallRcDTO].self, from: Data(response.body.readableBytesView))
    }

    private func post(_ client: any TestClientProtocol, _ uri: String, _ json: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, body: ByteBuffer(string: json))
    }

    @Test func createAnswers201WithMaskedReturnCode() async throws {
        try await self.withClient { client in
            let response = try await self.post(
                client, "/v1/nodes",
                #"{"name":"romulus","type":"Combined","net_interfaces":[{"name":"default","address":"127.0.0.11","satellite_port":3366,"satellite_encryption_type":"Plain"}]}"#)
            #expect(response.status == .created)
            #expect(try self.replies(response).first?.retCode == ReturnCode.created.inContext(.create, .node).rawValue)
            let again = try await self.post(client, "/v1/nodes", #"{"name":"ROMULUS","type":"Satellite","net_interfaces":[{"name":"default","address":"127.0.0.11"}]}"#)
            #expect(again.status == .internalServerError)
            #expect(try self.replies(again).first?.retCode == -4_611_686_018_406_678_028)
        }
    }

    @Test func notFoundAnswers404() async throws {
        try await self.withClient { client in
            let response = try await client.execute(uri: "/v1/nodes/ghost", method: .get)
            #expect(response.status == .notFound)
            #expect(try self.replies(response).first?.objRefs == ["Node": "ghost"])
            let delete = try await client.execute(uri: "/v1/resource-definitions/nothing", method: .delete)
            #expect(delete.status == .ok)
            #expect(try self.replies(delete).first.map { ReturnCode(rawValue: $0.retCode).code } == ReturnCode.warnNotFound.code)
        }
    }

    /// An unserved path, and a served path with a method Depot does not serve, both answer why.
    @Test func unservedCallsAnswer404WithTheReason() async throws {
        try await self.withClient { client in
            for (method, uri) in [(HTTPRequest.Method.get, "/v1/files"), (.get, "/v1/controller/config"), (.delete, "/v1/nodes"), (.get, "/nowhere")] {
                let response = try await client.execute(uri: uri, method: method)
                #expect(response.status == .notFound)
                let reply = try #require(try self.replies(response).first)
                #expect(ReturnCode(rawValue: reply.retCode) == .unknownAPICall)
                #expect(reply.message == "\(method) \(uri) is not part of the LINSTOR REST API v1 that Depot serves.")
            }
        }
    }

    @Test func malformedBodiesAnswer400AndChangeNothing() async throws {
        let store = MemoryStore()
        try await self.withClient(store) { client in
            let before = store.commits
            for body in ["{", #"{"name":"a1","type":"Satellite","bogus":true}"#, #"{"name":{},"type":"Satellite"}"#, "", "[]"] {
                let response = try await self.post(client, "/v1/nodes", body)
                #expect(response.status == .badRequest, "body \(body)")
                #expect(try self.replies(response).first.map { ReturnCode(rawValue: $0.retCode) } == .apiCallParseError)
            }
            // A number where a string belongs is its text, as with Jackson; "5" is then no valid node name.
            let numeric = try await self.post(client, "/v1/nodes", #"{"name":5,"type":"Satellite"}"#)
            #expect(numeric.status == .internalServerError)
            #expect(try self.replies(numeric).first.map { ReturnCode(rawValue: $0.retCode).code } == ReturnCode.failInvalidNodeName.code)
            #expect(store.commits == before)
            let list = try await client.execute(uri: "/v1/nodes", method: .get)
            #expect(String(buffer: list.body) == "[]")
        }
    }

    @Test func oversizedBodyIsRefused() async throws {
        try await self.withClient { client in
            let huge = ByteBuffer(repeating: UInt8(ascii: " "), count: APIResponse.maximumBodyBytes + 1)
            let response = try await client.execute(uri: "/v1/resource-definitions", method: .post, body: huge)
            #expect(response.status == .contentTooLarge)
        }
    }

    @Test func databaseFailureChangesNothing() async throws {
        let store = MemoryStore()
        try await self.withClient(store) { client in
            store.failCommits(true)
            let response = try await self.post(client, "/v1/resource-groups", #"{"name":"grp"}"#)
            #expect(response.status == .internalServerError)
            #expect(try self.replies(response).first?.retCode == ReturnCode.failSQL.inContext(.create, .resourceGroup).rawValue)
            store.failCommits(false)
            let get = try await client.execute(uri: "/v1/resource-groups/grp", method: .get)
            #expect(get.status == .notFound)
        }
    }

    @Test func listsOmitEmptyFieldsAndFilter() async throws {
        try await self.withClient { client in
            for (name, address) in [("vulcan", "127.0.0.13"), ("kronos", "127.0.0.14")] {
                _ = try await self.post(client, "/v1/nodes", #"{"name":"\#(name)","type":"Satellite","net_interfaces":[{"name":"default","address":"\#(address)"}]}"#)
                _ = try await self.post(
                    client, "/v1/nodes/\(name)/storage-pools",
                    #"{"storage_pool_name":"thinpool","provider_kind":"LVM_THIN","props":{"StorDriver/StorPoolName":"drbdpool/thinpool"}}"#)
            }
            _ = try await self.post(client, "/v1/resource-definitions", #"{"resource_definition":{"name":"LocalData","layer_data":[{"type":"STORAGE"}]}}"#)
            _ = try await self.post(client, "/v1/resource-definitions/LocalData/volume-definitions", #"{"volume_definition":{"size_kib":153600}}"#)
            let created = try await self.post(
                client, "/v1/resource-definitions/LocalData/resources",
                #"[{"resource":{"node_name":"vulcan","props":{"StorPoolName":"thinpool"}}},{"resource":{"node_name":"kronos","props":{"StorPoolName":"thinpool"}}}]"#)
            #expect(created.status == .created)
            #expect(try self.replies(created).contains { ReturnCode(rawValue: $0.retCode).isWarning && $0.message.contains("No active connection") })

            let all = try await client.execute(uri: "/v1/view/resources", method: .get)
            let resources = try JSONDecoder().decode([ResourceDTO].self, from: Data(all.body.readableBytesView))
            #expect(resources.map { $0.nodeName } == ["kronos", "vulcan"])
            #expect(resources.first?.volumes?.first?.usableSizeKiB == 153_600)
            #expect(!String(buffer: all.body).contains("\"props\":{}"))

            let filtered = try await client.execute(uri: "/v1/view/resources?nodes=VULCAN", method: .get)
            #expect(try JSONDecoder().decode([ResourceDTO].self, from: Data(filtered.body.readableBytesView)).map(\.nodeName) == ["vulcan"])
            let byPool = try await client.execute(uri: "/v1/view/storage-pools?storage_pools=thinpool&nodes=kronos", method: .get)
            #expect(try JSONDecoder().decode([StoragePoolDTO].self, from: Data(byPool.body.readableBytesView)).count == 1)
            let paged = try await client.execute(uri: "/v1/view/resources?limit=1&offset=1", method: .get)
            #expect(try JSONDecoder().decode([ResourceDTO].self, from: Data(paged.body.readableBytesView)).map(\.nodeName) == ["vulcan"])
        }
    }

    @Test func controllerPropertiesRoundTrip() async throws {
        try await self.withClient { client in
            let set = try await self.post(client, "/v1/controller/properties", #"{"override_props":{"DrbdOptions/Net/protocol":"C","Aux/x":"1"}}"#)
            #expect(set.status == .created)
            let deleted = try await client.execute(uri: "/v1/controller/properties/DrbdOptions/Net/protocol", method: .delete)
            #expect(deleted.status == .ok)
            let props = try await client.execute(uri: "/v1/controller/properties", method: .get)
            let map = try JSONDecoder().decode([String: String].self, from: Data(props.body.readableBytesView))
            #expect(map["Aux/x"] == "1")
            #expect(map["DrbdOptions/Net/protocol"] == nil)
            let bad = try await self.post(client, "/v1/controller/properties", #"{"override_props":{"NoSuchKey":"1"}}"#)
            #expect(bad.status == .internalServerError)
            #expect(try self.replies(bad).first?.retCode == ReturnCode.failInvalidProperty.inContext(.modify, .controllerConfig).rawValue)
        }
    }
}
