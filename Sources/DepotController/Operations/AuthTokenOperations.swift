import DepotModel
import DepotWire
import Foundation
import HashTreeCollections

/// LINSTOR 1.34's token calls (`CtrlAuthHandler`): tokens are made outside the state actor
/// (``IssuedToken``), only their hashes reach the model, and the answer carries the token once.
extension ClusterTransaction {
    /// Token authentication is on when this controller property is true and some token is usable.
    static let tokenAuthEnabledKey = "Auth/TokenAuthenticationEnabled"
    /// The controller property that turns HTTPS on with a self-signed certificate.
    static let autoHTTPSKey = "REST/AutoHTTPS"

    /// `POST /v1/controller/auth/token`. Making a token does not turn token authentication on; the
    /// property (or `initialize-token-auth`) does.
    mutating func createAuthToken(_ body: CreateAuthTokenDTO, _ token: IssuedToken) throws(DepotError) -> [Reply] {
        let expiresAt = try Self.expiry(body.expiresAt)
        try Self.checkIPFilter(body.ipFilter)
        self.put(self.newToken(token, description: body.description ?? "", expiresAt: expiresAt, ipFilter: body.ipFilter))
        return [Reply(.created, "Auth token created successfully: \(token.text)", objectReferences: ["token": token.text])]
    }

    /// `POST /v1/controller/auth/initialize-token-auth`: the first token, token authentication on,
    /// and (unless `no_https`) HTTPS with a self-signed certificate. The satellites' own tokens
    /// follow (``SatelliteTokens``).
    ///
    /// On an initialized controller, `only_satellites` revokes every satellite token, as LINSTOR
    /// does; the connected satellites then get new ones.
    mutating func initializeTokenAuth(_ body: InitAuthTokenRequestDTO, _ token: IssuedToken) throws(DepotError) -> [Reply] {
        guard !self.isTokenAuthEnabled else {
            guard body.onlySatellites == true else { return [Reply(.warnNoEffect, "Token authentication is already enabled")] }
            for var old in self.model.authTokens.values where !old.isUserToken && old.deletedAt == nil {
                old.deletedAt = self.now
                old.isActive = false
                self.put(old)
            }
            return [Reply(.modified, "Satellite tokens re-initialized successfully")]
        }
        self.put(self.newToken(token, description: body.description ?? "init-client", expiresAt: nil, ipFilter: nil))
        self.setControllerOwnProperty(Self.tokenAuthEnabledKey, "true")
        if body.noHTTPS != true { self.setControllerOwnProperty(Self.autoHTTPSKey, "true") }
        return [
            Reply(
                .created, "Token authentication initialized successfully. Init token \(token.text)", objectReferences: ["token": token.text])
        ]
    }

    var isTokenAuthEnabled: Bool { Self.isTrueOrYes(self.model.controllerProps[Self.tokenAuthEnabledKey]) }

    /// LINSTOR's description of a satellite's token.
    static func satelliteTokenDescription(_ node: Node) -> String { "satellite:\(node.name)" }

    /// `token` becomes the REST token of `node`'s satellite, in place of the one it had (whose text
    /// stops working at once), limited to the node's satellite address as LINSTOR limits it.
    ///
    /// - Returns: false, changing nothing, while token authentication is off or when the node runs no satellite.
    mutating func replaceSatelliteToken(of nodeKey: ObjectKey, with token: IssuedToken) -> Bool {
        guard self.isTokenAuthEnabled, let node = self.model.nodes[nodeKey], let endpoint = SatelliteEndpoint(node) else { return false }
        let description = Self.satelliteTokenDescription(node)
        let address = IPAddressText.canonical(endpoint.host) != nil ? endpoint.host : nil
        if var current = self.model.authTokens.values.first(where: { !$0.isUserToken && $0.deletedAt == nil && $0.description == description }) {
            current.tokenHash = token.hash
            current.createdAt = self.now
            current.ipFilter = address
            current.isActive = true
            self.put(current)
        } else {
            var fresh = self.newToken(token, description: description, expiresAt: nil, ipFilter: address)
            fresh.isUserToken = false
            self.put(fresh)
        }
        return true
    }

    /// A node that is deleted takes its satellite token with it.
    mutating func revokeSatelliteToken(of node: Node) {
        let description = Self.satelliteTokenDescription(node)
        for var token in self.model.authTokens.values where !token.isUserToken && token.deletedAt == nil && token.description == description {
            token.deletedAt = self.now
            token.isActive = false
            self.put(token)
        }
    }

    /// `PUT /v1/controller/auth/token/{id}`: changes what the body gives.
    mutating func modifyAuthToken(_ id: AuthTokenID?, _ body: ModifyAuthTokenDTO) throws(DepotError) -> [Reply] {
        guard let id, var token = self.model.authTokens[id], token.deletedAt == nil else {
            throw DepotError(.failNotFoundNode, "Auth token not found", cause: "The specified auth token does not exist")
        }
        try Self.checkIPFilter(body.ipFilter)
        if let description = body.description { token.description = description }
        if let ipFilter = body.ipFilter { token.ipFilter = ipFilter }
        if let isActive = body.isActive { token.isActive = isActive }
        self.put(token)
        return [Reply(.modified, "Auth token modified successfully")]
    }

    /// `DELETE /v1/controller/auth/token/{id}`: the token stops working at once; its row stays.
    mutating func revokeAuthToken(_ id: AuthTokenID?) -> [Reply] {
        guard let id, var token = self.model.authTokens[id], token.deletedAt == nil else {
            return [
                Reply(
                    .warnNotFound, "Auth token not found or already revoked",
                    cause: "The specified auth token does not exist or was already revoked")
            ]
        }
        token.deletedAt = self.now
        token.isActive = false
        self.put(token)
        return [Reply(.deleted, "Auth token revoked successfully")]
    }

    /// `GET /v1/controller/auth/token`: the tokens not revoked, by number.
    static func authTokenList(_ model: ClusterModel) -> AuthTokenListDTO {
        let tokens = model.authTokens.values.filter { $0.deletedAt == nil }.sorted { $0.id < $1.id }
        return AuthTokenListDTO(
            list: tokens.map { token in
                AuthTokenDTO(
                    id: token.id.rawValue, createdAt: TokenTime.format(token.createdAt), isActive: token.isActive,
                    deletedAt: token.deletedAt.map(TokenTime.format), expiresAt: token.expiresAt.map(TokenTime.format),
                    description: token.description, ipFilter: token.ipFilter, isUserToken: token.isUserToken)
            })
    }

    /// A new row for `token`, numbered after every token ever made (revoked ones included).
    private func newToken(_ token: IssuedToken, description: String, expiresAt: Int64?, ipFilter: String?) -> AuthToken {
        let id = AuthTokenID((self.model.authTokens.keys.max()?.rawValue ?? 0) + 1)
        return AuthToken(id: id, tokenHash: token.hash, description: description, createdAt: self.now, expiresAt: expiresAt, ipFilter: ipFilter)
    }

    /// LINSTOR reads the first ten characters as a date and lets the token expire at its midnight UTC.
    private static func expiry(_ text: String?) throws(DepotError) -> Int64? {
        guard let text, !text.isEmpty else { return nil }
        guard let midnight = TokenTime.midnight(of: String(text.prefix(10))) else {
            throw DepotError(
                .failInvalidConfiguration, "Invalid expiration date format: \(text)",
                cause: "The expiration date must start with a valid date (e.g., 2025-12-31)")
        }
        return midnight
    }

    private static func checkIPFilter(_ filter: String?) throws(DepotError) {
        guard let filter, !filter.isEmpty else { return }
        guard IPAddressText.canonical(filter) != nil else {
            throw DepotError(.failInvalidConfiguration, "Invalid IP filter: \(filter)", cause: "The IP filter must be a valid IPv4 or IPv6 address")
        }
    }

    /// LINSTOR's `propTrueOrYes`.
    static func isTrueOrYes(_ value: String?) -> Bool {
        guard let value = value?.lowercased() else { return false }
        return value == "true" || value == "yes"
    }
}
