import DepotModel
import Foundation
import HTTPTypes
import HashTreeCollections
import Hummingbird

/// LINSTOR's `AuthenticationFilter`: once token authentication is on, every request but `/`,
/// `/health` and `/ui` needs `Authorization: Bearer TOKEN` with a usable token.
///
/// "On" means the controller property `Auth/TokenAuthenticationEnabled` is true *and* some token
/// is usable now, as in LINSTOR: revoking or letting expire the last token cannot lock everyone
/// out. Checks read the published snapshot, so a revoked token stops working with the next request.
struct TokenAuthentication: RouterMiddleware {
    typealias Context = RESTRequestContext

    let state: ClusterState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !Self.isOpen(request.uri.path) else { return try await next(request, context) }
        let model = self.state.publisher.snapshot.model
        let now = ClusterState.now()
        guard Self.isEnabled(model, now: now) else { return try await next(request, context) }
        guard let token = Self.bearerToken(request.headers[.authorization]),
            Self.accepts(token, from: context.remoteAddress?.ipAddress, in: model, now: now)
        else {
            return Self.unauthorized
        }
        return try await next(request, context)
    }

    /// Paths LINSTOR serves without a token: the root, the health check and the web UI.
    static func isOpen(_ path: String) -> Bool {
        ["", "/", "/health", "/health/", "/ui", "/ui/"].contains(path) || path.hasPrefix("/ui/")
    }

    static func isEnabled(_ model: ClusterModel, now: Int64) -> Bool {
        model.controllerProps[ClusterTransaction.tokenAuthEnabledKey]?.lowercased() == "true"
            && model.authTokens.values.contains { $0.refusal(at: now) == nil }
    }

    /// The token of an `Authorization: Bearer …` header (the scheme in any case).
    static func bearerToken(_ header: String?) -> String? {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        return header.dropFirst(7).trimmingCharacters(in: .whitespaces)
    }

    /// Whether `token` is stored, usable now, and (when it has an IP filter) used from that address.
    static func accepts(_ token: String, from address: String?, in model: ClusterModel, now: Int64) -> Bool {
        let hash = IssuedToken.hash(of: token)
        guard let stored = model.authTokens.values.first(where: { $0.tokenHash == hash }), stored.refusal(at: now) == nil else { return false }
        guard let filter = stored.ipFilter, !filter.isEmpty else { return true }
        guard let address, let client = IPAddressText.canonical(address) else { return false }
        return IPAddressText.canonical(filter) == client
    }

    /// 401 with LINSTOR's challenge and reply.
    static var unauthorized: Response {
        var response = APIResponse.replies([Reply(.failAccessDeniedCommand, "Unauthorized: token invalid or not provided")])
        response.status = .unauthorized
        response.headers[.wwwAuthenticate] = #"Bearer realm="linstor-controller""#
        return response
    }
}
