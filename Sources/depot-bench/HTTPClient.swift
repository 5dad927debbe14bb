import Dispatch
import Synchronization

/// An async face on one ``HTTPConnection`` to the controller at `127.0.0.1:port`.
///
/// The blocking socket calls run on the client's own serial queue, not on Swift's cooperative
/// threads (two on these machines), so eight clients really are eight requests in flight. The
/// connection is kept alive between requests and opened again after any failure.
final class HTTPClient: Sendable {
    /// Long enough for a 30,000-resource list on a debug controller; short enough that a hung
    /// controller fails the run.
    static let timeout = Duration.seconds(120)

    let port: UInt16
    private let queue: DispatchQueue
    /// Only ever taken on `queue`, so never contended; it is what lets the compiler check this
    /// class's `Sendable` instead of trusting an `@unchecked`.
    private let connection = Mutex<HTTPConnection?>(nil)

    init(port: UInt16, label: String) {
        self.port = port
        self.queue = DispatchQueue(label: "depot-bench.\(label)")
    }

    func send(_ request: HTTPRequest, body mode: BodyMode = .keep) async throws -> HTTPResponse {
        try await withCheckedThrowingContinuation { continuation in
            self.queue.async {
                continuation.resume(with: Result { try self.exchange(request, mode) })
            }
        }
    }

    private func exchange(_ request: HTTPRequest, _ mode: BodyMode) throws -> HTTPResponse {
        try self.connection.withLock { connection in
            let open = try connection ?? HTTPConnection(port: self.port, timeout: Self.timeout)
            do {
                let response = try open.perform(request, body: mode)
                connection = open.isReusable ? open : nil
                return response
            } catch {
                connection = nil
                throw error
            }
        }
    }
}
