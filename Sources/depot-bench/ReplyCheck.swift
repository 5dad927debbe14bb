import Foundation

/// Checks every answer the way a careful LINSTOR client would: a 2xx status and no error in the
/// ApiCallRc list.
enum ReplyCheck {
    /// LINSTOR's mask for the severity bits of a ret_code; both set means error.
    private static let errorMask: UInt64 = 0xC000_0000_0000_0000

    private struct ApiCallRc: Decodable {
        let retCode: Int64

        enum CodingKeys: String, CodingKey {
            case retCode = "ret_code"
        }
    }

    /// Throws with the request and the reply unless the mutation succeeded.
    static func mutation(_ request: HTTPRequest, _ response: HTTPResponse) throws {
        guard response.isSuccess else {
            throw BenchError.rejected(request, response, reason: "The controller refused a mutation.")
        }
        let replies: [ApiCallRc]
        do {
            replies = try JSONDecoder().decode([ApiCallRc].self, from: Data(response.body))
        } catch {
            throw BenchError.rejected(request, response, reason: "The reply is not an ApiCallRc list (\(error)).")
        }
        if replies.contains(where: { UInt64(bitPattern: $0.retCode) & Self.errorMask == Self.errorMask }) {
            throw BenchError.rejected(request, response, reason: "The reply holds an error ret_code despite HTTP \(response.status).")
        }
    }

    /// Throws unless a list call answered 200.
    static func list(_ request: HTTPRequest, _ response: HTTPResponse) throws {
        guard response.status == 200 else {
            throw BenchError.rejected(request, response, reason: "A list call failed.")
        }
    }

    /// The number of elements of a JSON array body.
    static func itemCount(_ request: HTTPRequest, _ response: HTTPResponse) throws -> Int {
        guard let items = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [Any] else {
            throw BenchError.rejected(request, response, reason: "A list call did not answer a JSON array.")
        }
        return items.count
    }
}
