import DepotModel
import DepotWire
import HashTreeCollections
import Testing

@testable import DepotController

/// LINSTOR's satellite tokens in the model: one per satellite, replaced in place, revoked with
/// `only_satellites` and with the node.
@Suite struct SatelliteTokenTests {
    static func initialized() throws -> ClusterTransaction {
        var transaction = try ClusterTransaction.article()
        _ = try transaction.initializeTokenAuth(InitAuthTokenRequestDTO(description: "admin", noHTTPS: true), IssuedToken.make())
        return transaction
    }

    static func satelliteTokens(_ transaction: ClusterTransaction) -> [AuthToken] {
        transaction.model.authTokens.values.filter { !$0.isUserToken && $0.deletedAt == nil }.sorted { $0.id < $1.id }
    }

    @Test func nothingIsIssuedWhileTokenAuthenticationIsOff() throws {
        var transaction = try ClusterTransaction.article()
        let issued = transaction.replaceSatelliteToken(of: ObjectKey("vulcan"), with: IssuedToken.make())
        #expect(!issued)
        #expect(transaction.model.authTokens.isEmpty)
    }

    @Test func aReconnectReplacesTheNodesTokenInPlace() throws {
        var transaction = try Self.initialized()
        let first = IssuedToken.make()
        let second = IssuedToken.make()
        let issuedFirst = transaction.replaceSatelliteToken(of: ObjectKey("vulcan"), with: first)
        let issuedSecond = transaction.replaceSatelliteToken(of: ObjectKey("vulcan"), with: second)
        #expect(issuedFirst && issuedSecond)
        let tokens = Self.satelliteTokens(transaction)
        #expect(tokens.count == 1)
        #expect(tokens.first?.description == "satellite:vulcan")
        #expect(tokens.first?.tokenHash == second.hash)
        #expect(tokens.first?.ipFilter == "127.0.0.13")
        #expect(transaction.model.authTokens.count == 2)
    }

    @Test func onlySatellitesRevokesEverySatelliteTokenAndKeepsUserTokens() throws {
        var transaction = try Self.initialized()
        for node in ["romulus", "vulcan"] {
            let issued = transaction.replaceSatelliteToken(of: ObjectKey(node), with: IssuedToken.make())
            #expect(issued)
        }
        let replies = try transaction.initializeTokenAuth(InitAuthTokenRequestDTO(onlySatellites: true), IssuedToken.make())
        #expect(replies.map(\.message) == ["Satellite tokens re-initialized successfully"])
        #expect(Self.satelliteTokens(transaction).isEmpty)
        #expect(transaction.model.authTokens.values.filter { $0.isUserToken && $0.deletedAt == nil }.count == 1)
        let again = try transaction.initializeTokenAuth(InitAuthTokenRequestDTO(), IssuedToken.make())
        #expect(again.map(\.message) == ["Token authentication is already enabled"])
    }

    @Test func deletingTheNodeRevokesItsToken() throws {
        var transaction = try Self.initialized()
        let issued = transaction.replaceSatelliteToken(of: ObjectKey("kronos"), with: IssuedToken.make())
        #expect(issued)
        _ = try transaction.deleteNode("kronos")
        #expect(Self.satelliteTokens(transaction).isEmpty)
        let reissued = transaction.replaceSatelliteToken(of: ObjectKey("kronos"), with: IssuedToken.make())
        #expect(!reissued)
    }
}
