import DepotClient

/// What a query that answers one object (not a list) gave back.
enum QueryAnswer {
    /// The object.
    case value(JSONValue)
    /// The controller answered ApiCallRc entries instead; they were printed, this is the exit code.
    case replied(Int32)
}

extension CommandInvocation {
    /// Sends a read whose answer is a single object (`rg qsi`, `rg qmvs`). An error status or an
    /// ApiCallRc list is printed as replies, as linstor-client's `handle_replies` does for these calls,
    /// so a missing resource group reads like any other failed command.
    func query(_ request: RESTRequest) async throws(CLIFailure) -> QueryAnswer {
        let response = try await self.session.send(request)
        if response.status >= 400 || response.apiCallReplies() != nil {
            return .replied(self.print(try self.replies(of: response, request: request)))
        }
        do {
            return .value(try response.json())
        } catch {
            throw self.unexpected(response, request: request)
        }
    }
}
