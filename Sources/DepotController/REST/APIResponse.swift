import DepotModel
import DepotWire
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Builds HTTP responses the way LINSTOR's REST server does.
enum APIResponse {
    /// Bodies larger than this are refused before parsing.
    static let maximumBodyBytes = 16 * 1024 * 1024

    static func json(_ data: Data, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Keys sorted, so that the same object always reads the same (scripts diff `-m` output).
    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return self.json((try? encoder.encode(value)) ?? Data("null".utf8), status: status)
    }

    /// A JSON array of already-encoded objects, joined without re-encoding them.
    static func jsonArray<S: Sequence>(_ fragments: S) -> Response where S.Element == Data {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt8(ascii: "["))
        var first = true
        for fragment in fragments {
            if !first { buffer.writeInteger(UInt8(ascii: ",")) }
            first = false
            buffer.writeBytes(fragment)
        }
        buffer.writeInteger(UInt8(ascii: "]"))
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: buffer))
    }

    /// An ApiCallRc list; the status follows LINSTOR's `ApiCallRcRestUtils.toResponse`.
    static func replies(_ replies: [Reply], successStatus: HTTPResponse.Status = .ok) -> Response {
        let timestamp = ISO8601DateFormatter().string(from: Date())
        let body = replies.map { reply in
            var dto = ApiCallRcDTO(
                retCode: reply.code.rawValue, message: reply.message, cause: reply.cause, correction: reply.correction,
                details: reply.details, objRefs: reply.objectReferences)
            dto.createdAt = timestamp
            return dto
        }
        return self.json(body, status: self.status(for: replies, success: successStatus))
    }

    static func status(for replies: [Reply], success: HTTPResponse.Status) -> HTTPResponse.Status {
        guard let error = replies.first(where: { $0.code.isError }) else { return success }
        if error.code == .apiCallParseError { return .badRequest }
        switch error.code.code {
        case 300..<400: return .notFound
        case 400..<500: return .forbidden
        default: return .internalServerError
        }
    }

    static func error(_ error: any Error, _ context: CallContext) -> Response {
        let depotError = error as? DepotError ?? DepotError(.failUnknownError, "Unexpected error: \(error)")
        return self.replies(context.apply([Reply(depotError)]))
    }

    /// A body that is not the JSON the call expects (LINSTOR: HTTP 400, `API_CALL_PARSE_ERROR`).
    static func parseError(_ reason: String, status: HTTPResponse.Status = .badRequest) -> Response {
        let reply = Reply(
            .apiCallParseError, "Unable to parse the request body.", cause: reason,
            correction: "Send a JSON body as described by the LINSTOR REST API v1.")
        var response = self.replies([reply])
        response.status = status
        return response
    }
}
