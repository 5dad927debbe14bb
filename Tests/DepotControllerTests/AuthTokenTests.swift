import DepotModel
import DepotReports
import DepotStore
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

/// LINSTOR 1.34's token API and `AuthenticationFilter`, through the REST routes.
@Suite struct AuthTokenTests {
    @discardableResult
    private func withClient<Value: Sendable>(
        _ store: MemoryStore = MemoryStore(), _ body: @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        let state = try await makeState(store)
        let controller = DepotController(config: ControllerConfig(), logger: Logger(label: "test"), logLevel: RuntimeLogLevel(.info))
        return try await controller.makeApplication(state: state) { _ in }.test(.router) { client in try await body(client) }
    }

    private func replies(_ response: TestResponse) throws -> [ApiCallRcDTO] {
        try JSONDecoder().decode([ApiCallRcDTO].self, from: Data(response.body.readableBytesView))
    }

    private func send(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ json: String? = nil, token: String? = nil
    ) async throws -> TestResponse {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    /// Creates a token and returns its text from the reply's `obj_refs`.
    private func create(_ client: any TestClientProtocol, _ json: String, token: String? = nil) async throws -> String {
        let response = try await self.send(client, .post, "/v1/controller/auth/token", json, token: token)
        #expect(response.status == .created)
        let reply = try #require(try self.replies(response).first)
        #expect(reply.retCode == ReturnCode.created.rawValue)
        let text = try #require(reply.objRefs?["token"])
        #expect(reply.message == "Auth token created successfully: \(text)")
        return text
    }

    @Test func initializeEnablesTokensAndAutoHTTPSAndReturnsTheFirstToken() async throws {
        try await self.withClient { client async throws -> Void in
            let response = try await self.send(client, .post, "/v1/controller/auth/initialize-token-auth", #"{"description":"admin"}"#)
            #expect(response.status == .created)
            let reply = try #require(try self.replies(response).first)
            let token = try #require(reply.objRefs?["token"])
            #expect(token.count == 32 && token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
            #expect(reply.message == "Token authentication initialized successfully. Init token \(token)")

            let refused = try await self.send(client, .get, "/v1/controller/properties")
            #expect(refused.status == .unauthorized)
            #expect(refused.headers[.wwwAuthenticate] == #"Bearer realm="linstor-controller""#)
            #expect(try self.replies(refused).first?.retCode == ReturnCode.failAccessDeniedCommand.rawValue)
            #expect(try self.replies(refused).first?.message == "Unauthorized: token invalid or not provided")

            let props = try await self.send(client, .get, "/v1/controller/properties", token: token)
            #expect(props.status == .ok)
            let values = try JSONDecoder().decode([String: String].self, from: Data(props.body.readableBytesView))
            #expect(values["Auth/TokenAuthenticationEnabled"] == "true")
            #expect(values["REST/AutoHTTPS"] == "true")

            let again = try await self.send(client, .post, "/v1/controller/auth/initialize-token-auth", "{}", token: token)
            #expect(again.status == .created)
            #expect(try self.replies(again).first?.retCode == ReturnCode.warnNoEffect.rawValue)
            #expect(try self.replies(again).first?.message == "Token authentication is already enabled")
        }
    }

    @Test func healthAndRootNeedNoToken() async throws {
        try await self.withClient { client async throws -> Void in
            _ = try await self.send(client, .post, "/v1/controller/auth/initialize-token-auth", #"{"no_https":true}"#)
            #expect(try await self.send(client, .get, "/health").status != .unauthorized)
            #expect(try await self.send(client, .get, "/v1/controller/version").status == .unauthorized)
        }
    }

    @Test func wrongRevokedDisabledAndExpiredTokensAreRefused() async throws {
        try await self.withClient { client async throws -> Void in
            let admin = try await self.create(client, #"{"description":"admin"}"#)
            let other = try await self.create(client, #"{"description":"other"}"#)
            let expired = try await self.create(client, #"{"description":"old","expires_at":"2000-01-01T00:00:00Z"}"#)
            // Tokens exist but the property is off: nothing is enforced yet.
            #expect(try await self.send(client, .get, "/v1/nodes").status == .ok)
            let set = try await self.send(client, .post, "/v1/controller/properties", #"{"override_props":{"Auth/TokenAuthenticationEnabled":"true"}}"#)
            #expect(set.status == .created)

            #expect(try await self.send(client, .get, "/v1/nodes", token: admin).status == .ok)
            #expect(try await self.send(client, .get, "/v1/nodes", token: "not-a-token").status == .unauthorized)
            #expect(try await self.send(client, .get, "/v1/nodes", token: expired).status == .unauthorized)

            let list = try await self.send(client, .get, "/v1/controller/auth/token", token: admin)
            let tokens = try JSONDecoder().decode(AuthTokenListDTO.self, from: Data(list.body.readableBytesView))
            #expect(tokens.count == 3 && tokens.list.map(\.description) == ["admin", "other", "old"])
            #expect(tokens.list[2].expiresAt == "2000-01-01T00:00:00Z")
            let otherID = tokens.list[1].id

            let disable = try await self.send(client, .put, "/v1/controller/auth/token/\(otherID)", #"{"is_active":false}"#, token: admin)
            #expect(try self.replies(disable).first?.message == "Auth token modified successfully")
            #expect(try await self.send(client, .get, "/v1/nodes", token: other).status == .unauthorized)

            let revoke = try await self.send(client, .delete, "/v1/controller/auth/token/\(otherID)", token: admin)
            #expect(try self.replies(revoke).first?.retCode == ReturnCode.deleted.rawValue)
            let twice = try await self.send(client, .delete, "/v1/controller/auth/token/\(otherID)", token: admin)
            #expect(twice.status == .ok)
            #expect(try self.replies(twice).first?.retCode == ReturnCode.warnNotFound.rawValue)
            let modifyRevoked = try await self.send(client, .put, "/v1/controller/auth/token/\(otherID)", #"{"is_active":true}"#, token: admin)
            #expect(modifyRevoked.status == .notFound)
            #expect(try self.replies(modifyRevoked).first?.message == "Auth token not found")
            #expect(try await self.send(client, .get, "/v1/nodes", token: other).status == .unauthorized)

            let after = try await self.send(client, .get, "/v1/controller/auth/token", token: admin)
            #expect(try JSONDecoder().decode(AuthTokenListDTO.self, from: Data(after.body.readableBytesView)).count == 2)
        }
    }

    @Test func revokingTheLastUsableTokenTurnsEnforcementOff() async throws {
        try await self.withClient { client async throws -> Void in
            let response = try await self.send(client, .post, "/v1/controller/auth/initialize-token-auth", #"{"no_https":true}"#)
            let token = try #require(try self.replies(response).first?.objRefs?["token"])
            #expect(try await self.send(client, .get, "/v1/nodes").status == .unauthorized)
            _ = try await self.send(client, .delete, "/v1/controller/auth/token/1", token: token)
            #expect(try await self.send(client, .get, "/v1/nodes").status == .ok)
        }
    }

    @Test func anIPFilterNeedsThatClientAddress() async throws {
        try await self.withClient { client async throws -> Void in
            let admin = try await self.create(client, #"{"description":"admin"}"#)
            let filtered = try await self.create(client, #"{"description":"node","ip_filter":"192.0.2.7"}"#)
            _ = try await self.send(client, .post, "/v1/controller/properties", #"{"override_props":{"Auth/TokenAuthenticationEnabled":"true"}}"#)
            // In-process requests have no client address, so a filtered token cannot match.
            #expect(try await self.send(client, .get, "/v1/nodes", token: filtered).status == .unauthorized)
            #expect(try await self.send(client, .get, "/v1/nodes", token: admin).status == .ok)
        }
    }

    @Test func invalidExpiryAndIPFilterAreRefusedWithLINSTORsMessages() async throws {
        try await self.withClient { client async throws -> Void in
            let date = try await self.send(client, .post, "/v1/controller/auth/token", #"{"description":"x","expires_at":"2026-02-30"}"#)
            #expect(date.status == .internalServerError)
            #expect(try self.replies(date).first?.retCode == ReturnCode.failInvalidConfiguration.rawValue)
            #expect(try self.replies(date).first?.message == "Invalid expiration date format: 2026-02-30")
            let filter = try await self.send(client, .post, "/v1/controller/auth/token", #"{"description":"x","ip_filter":"host.example"}"#)
            #expect(try self.replies(filter).first?.message == "Invalid IP filter: host.example")
            #expect(try self.replies(filter).first?.cause == "The IP filter must be a valid IPv4 or IPv6 address")
            let unknown = try await self.send(client, .post, "/v1/controller/auth/token", #"{"description":"x","token":"mine"}"#)
            #expect(unknown.status == .badRequest)
        }
    }

    @Test func tokensSurviveARestartAsHashesOnly() async throws {
        let store = MemoryStore()
        let token = try await self.withClient(store) { client in
            let response = try await self.send(client, .post, "/v1/controller/auth/initialize-token-auth", #"{"no_https":true}"#)
            return try #require(try self.replies(response).first?.objRefs?["token"])
        }
        let reopened = store.reopened()
        let stored = try await reopened.load()[AuthToken.self]
        #expect(stored.count == 1)
        #expect(stored.first?.tokenHash == IssuedToken.hash(of: token))
        #expect(stored.first?.tokenHash != token)
        try await self.withClient(reopened) { client async throws -> Void in
            #expect(try await self.send(client, .get, "/v1/nodes").status == .unauthorized)
            #expect(try await self.send(client, .get, "/v1/nodes", token: token).status == .ok)
        }
    }

    @Test func timesAndAddressesReadAsLINSTORsDo() {
        #expect(TokenTime.format(1_700_000_000_000) == "2023-11-14T22:13:20Z")
        #expect(TokenTime.format(1_700_000_000_120) == "2023-11-14T22:13:20.12Z")
        #expect(TokenTime.midnight(of: "2025-12-31") == 1_767_139_200_000)
        #expect(TokenTime.midnight(of: "2025-13-01") == nil)
        #expect(TokenTime.midnight(of: "31.12.2025") == nil)
        #expect(IPAddressText.canonical("::ffff:127.0.0.1") == IPAddressText.canonical("127.0.0.1"))
        #expect(IPAddressText.canonical("0:0:0:0:0:0:0:1") == IPAddressText.canonical("::1"))
        #expect(IPAddressText.canonical("localhost") == nil)
        #expect(IssuedToken.hash(of: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(HTTPSRedirect.serverName("ctrl.example:3370") == "ctrl.example")
        #expect(HTTPSRedirect.serverName("[::1]:3370") == "[::1]")
    }
}
