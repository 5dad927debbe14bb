/// Plain HTTP through URLSession (which can refuse redirects, so the HTTPS probe sees the `302`),
/// HTTPS through ``TLSTransport`` (which can take a CA and a client certificate).
enum Transport: Sendable {
    case plain(HTTPTransport)
    case tls(TLSTransport)

    init(for endpoint: ControllerEndpoint, options: ConnectionOptions, headers: [String: String]) throws(DepotClientError) {
        switch endpoint.scheme {
        case .http: self = .plain(HTTPTransport(timeoutSeconds: options.timeoutSeconds, headers: headers))
        case .https: self = .tls(try TLSTransport(timeoutSeconds: options.timeoutSeconds, headers: headers, files: options.tlsFiles))
        }
    }

    func perform(_ request: RESTRequest, on endpoint: ControllerEndpoint) async throws(DepotClientError) -> (response: RESTResponse, location: String?) {
        switch self {
        case .plain(let transport): try await transport.perform(request, on: endpoint)
        case .tls(let transport): try await transport.perform(request, on: endpoint)
        }
    }
}
