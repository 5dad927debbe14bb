import DepotModel
import DepotWire
import Foundation
import Hummingbird
import NIOCore

/// A request body that could not be read or parsed; its response is ready to send.
struct RejectedRequest: Error {
    let response: Response
}

extension Request {
    /// Reads and strictly decodes the JSON body.
    ///
    /// - Throws: ``RejectedRequest`` with LINSTOR's parse-error reply (400), or 413 for oversized bodies.
    mutating func decodeBody<T: Decodable>(_ type: T.Type) async throws(RejectedRequest) -> T {
        guard let body = try await self.decodeBodyIfPresent(type) else {
            throw RejectedRequest(response: APIResponse.parseError("The request has no body."))
        }
        return body
    }

    /// As ``decodeBody(_:)``, for calls whose body is optional (python-linstor sends none): `nil`
    /// when the body is empty.
    mutating func decodeBodyIfPresent<T: Decodable>(_ type: T.Type) async throws(RejectedRequest) -> T? {
        let buffer: ByteBuffer
        do {
            buffer = try await self.body.collect(upTo: APIResponse.maximumBodyBytes)
        } catch {
            throw RejectedRequest(
                response: APIResponse.parseError(
                    "The request body is larger than \(APIResponse.maximumBodyBytes / 1024 / 1024) MiB.", status: .contentTooLarge))
        }
        guard buffer.readableBytesView.contains(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }) else { return nil }
        do {
            return try StrictJSON.decode(type, from: Data(buffer.readableBytesView))
        } catch {
            throw RejectedRequest(response: APIResponse.parseError("Invalid JSON: \(error)."))
        }
    }
}
