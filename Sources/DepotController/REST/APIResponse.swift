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

    /// How much of a list is copied into one write; the whole list (35 MiB at 30,000 resources) never
    /// exists as one buffer.
    static let listChunkBytes = 512 * 1024

    /// A JSON array of already-encoded objects, joined without re-encoding them and streamed in chunks.
    static func jsonArray<S: Sequence>(_ fragments: S) -> Response where S.Element == Data {
        let parts = Array(fragments)
        let length = parts.reduce(2) { $0 + $1.count } + max(0, parts.count - 1)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        let body = ResponseBody(contentLength: length) { writer in
            var chunk = ByteBuffer()
            chunk.reserveCapacity(Self.listChunkBytes)
            chunk.writeInteger(UInt8(ascii: "["))
            for (index, fragment) in parts.enumerated() {
                if index > 0 { chunk.writeInteger(UInt8(ascii: ",")) }
                chunk.writeBytes(fragment)
                if chunk.readableBytes >= Self.listChunkBytes {
                    try await writer.write(chunk)
                    chunk = ByteBuffer()
                    chunk.reserveCapacity(Self.listChunkBytes)
                }
            }
            chunk.writeInteger(UInt8(ascii: "]"))
            try await writer.write(chunk)
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// An ApiCallRc list; the status follows LINSTOR's `ApiCallRcRestUtils.toResponse`.
    static func replies(_ replies: [Reply], successStatus: HTTPResponse.Status = .ok) -> Response {
        self.json(self.wire(replies), status: self.status(for: replies, success: successStatus))
    }

    /// The replies as ApiCallRc entries, stamped now.
    static func wire(_ replies: [Reply]) -> [ApiCallRcDTO] {
        let timestamp = Date.now.ISO8601Format()
        return replies.map { reply in
            var dto = ApiCallRcDTO(
                retCode: reply.code.rawValue, message: reply.message, cause: reply.cause, correction: reply.correction,
                details: reply.details, objRefs: reply.objectReferences)
            if !reply.errorReportIDs.isEmpty { dto.errorReportIDs = reply.errorReportIDs }
            dto.createdAt = timestamp
            return dto
        }
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
