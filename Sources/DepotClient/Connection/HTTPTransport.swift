import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends requests to one controller over HTTP(S) with URLSession, without following redirects.
///
/// Redirects are refused so that a plain-HTTP controller answering `302` to the version probe can be
/// detected and switched to HTTPS, as LINSTOR's client does (`has_linstor_https`).
final class HTTPTransport: Sendable {
    let session: URLSession
    let timeoutSeconds: Double
    let headers: [String: String]

    init(timeoutSeconds: Double, headers: [String: String]) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeoutSeconds
        configuration.timeoutIntervalForResource = max(timeoutSeconds, 1)
        configuration.httpShouldSetCookies = false
        self.session = URLSession(configuration: configuration, delegate: RedirectRefusal(), delegateQueue: nil)
        self.timeoutSeconds = timeoutSeconds
        self.headers = headers
    }

    deinit {
        self.session.finishTasksAndInvalidate()
    }

    /// Performs one request and returns status, `Location` header and body.
    func perform(
        _ request: RESTRequest,
        on endpoint: ControllerEndpoint
    ) async throws(DepotClientError) -> (
        response: RESTResponse, location: String?
    ) {
        guard let url = URL(string: endpoint.baseURL + request.target) else {
            throw DepotClientError(.invalidAddress, "Invalid request URL \(endpoint.baseURL + request.target)")
        }
        var urlRequest = URLRequest(url: url, timeoutInterval: self.timeoutSeconds)
        urlRequest.httpMethod = request.method.rawValue
        for (name, value) in self.headers {
            urlRequest.setValue(value, forHTTPHeaderField: name)
        }
        if let body = request.body {
            urlRequest.setValue("application/json", forHTTPHeaderField: "Content-Type")
            urlRequest.httpBody = Data(body.compactText().utf8)
        }
        do {
            let (data, response) = try await self.session.data(for: urlRequest)
            let http = response as? HTTPURLResponse
            return (
                RESTResponse(status: http?.statusCode ?? 0, body: data), http?.value(forHTTPHeaderField: "Location")
            )
        } catch let error as URLError {
            throw Self.describe(error, endpoint: endpoint, timeout: self.timeoutSeconds)
        } catch {
            throw DepotClientError(.connectionFailed, "Unable to connect to \(endpoint): \(error)")
        }
    }

    /// Maps URLSession's errors to the texts LINSTOR's client prints (Python's socket errors).
    static func describe(_ error: URLError, endpoint: ControllerEndpoint, timeout: Double) -> DepotClientError {
        switch error.code {
        case .timedOut:
            let seconds = timeout == timeout.rounded() ? String(Int(timeout)) : String(timeout)
            return DepotClientError(.timeout, "Socket timeout, no data received for more than \(seconds)s.")
        case .cannotConnectToHost:
            return DepotClientError(
                .connectionFailed,
                "Unable to connect to \(endpoint): [Errno 111] Connection refused"
            )
        case .cannotFindHost, .dnsLookupFailed:
            return DepotClientError(
                .connectionFailed,
                "Unable to connect to \(endpoint): [Errno -2] Name or service not known"
            )
        case .networkConnectionLost:
            return DepotClientError(.connectionFailed, "Error reading response from \(endpoint): connection closed")
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
            return DepotClientError(.connectionFailed, "Unable to connect to \(endpoint): TLS handshake failed")
        default:
            return DepotClientError(
                .connectionFailed,
                "Unable to connect to \(endpoint): \(error.localizedDescription)"
            )
        }
    }
}

/// Answers every redirect with "do not follow".
private final class RedirectRefusal: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest,
        completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
