import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// Sends requests to a controller over HTTPS with LINSTOR's client's TLS options (`--cafile`,
/// `--certfile`, `--keyfile`), which URLSession on Linux cannot take.
///
/// As LINSTOR's client: without a CA file the controller's certificate is not verified (HTTPS then
/// only encrypts); with one it must chain to that CA and name the host dialled.
struct TLSTransport: Sendable {
    let tls: TLSConfiguration
    let timeoutSeconds: Double
    let headers: [String: String]

    /// - Throws: ``DepotClientError`` naming the file that cannot be read.
    init(timeoutSeconds: Double, headers: [String: String], files: TLSFiles) throws(DepotClientError) {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        do {
            if let ca = files.certificateAuthority {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca))
                tls.certificateVerification = .fullVerification
            } else {
                tls.certificateVerification = .none
            }
            if let certificate = files.certificate {
                tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: files.key ?? certificate, format: .pem))
            } else if files.key != nil {
                throw DepotClientError(.invalidAddress, "--keyfile needs --certfile: the key belongs to a client certificate.")
            }
        } catch let error as DepotClientError {
            throw error
        } catch {
            throw DepotClientError(.connectionFailed, "Cannot use the TLS files (\(files.described)): \(error)")
        }
        self.tls = tls
        self.timeoutSeconds = timeoutSeconds
        self.headers = headers
    }

    /// One client for the process (never shut down, like `HTTPClient.shared`), that fails a
    /// request at the first failed handshake instead of retrying until the timeout: a certificate
    /// the controller refuses will not be accepted on the next try either.
    private static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    func perform(_ request: RESTRequest, on endpoint: ControllerEndpoint) async throws(DepotClientError) -> (response: RESTResponse, location: String?) {
        var outgoing = HTTPClientRequest(url: endpoint.baseURL + request.target)
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        outgoing.tlsConfiguration = self.tls
        for (name, value) in self.headers { outgoing.headers.add(name: name, value: value) }
        if let body = request.body {
            outgoing.headers.add(name: "Content-Type", value: "application/json")
            outgoing.body = .bytes(ByteBuffer(string: body.compactText()))
        }
        do {
            let response = try await Self.client.execute(outgoing, timeout: .milliseconds(Int64(self.timeoutSeconds * 1000)))
            let body = try await response.body.collect(upTo: 256 * 1024 * 1024)
            return (RESTResponse(status: Int(response.status.code), body: Data(body.readableBytesView)), response.headers.first(name: "Location"))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            let seconds = self.timeoutSeconds == self.timeoutSeconds.rounded() ? String(Int(self.timeoutSeconds)) : String(self.timeoutSeconds)
            throw DepotClientError(.timeout, "Socket timeout, no data received for more than \(seconds)s.")
        } catch let error as NIOSSLError {
            throw Self.handshakeFailure(error, endpoint: endpoint)
        } catch let error as BoringSSLError {
            throw Self.handshakeFailure(error, endpoint: endpoint)
        } catch let error as IOError where error.errnoCode == ECONNREFUSED {
            throw DepotClientError(.connectionFailed, "Unable to connect to \(endpoint): [Errno 111] Connection refused")
        } catch {
            throw DepotClientError(.connectionFailed, "Unable to connect to \(endpoint): \(error)")
        }
    }
}

extension TLSTransport {
    /// Python's wording for an untrusted controller certificate (what LINSTOR's client prints),
    /// BoringSSL's details otherwise.
    static func handshakeFailure(_ error: any Error, endpoint: ControllerEndpoint) -> DepotClientError {
        let text = "\(error)"
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return DepotClientError(.connectionFailed, "Unable to connect to \(endpoint): [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")
        }
        return DepotClientError(.connectionFailed, "Unable to connect to \(endpoint): TLS handshake failed (\(text))")
    }
}

/// LINSTOR's client TLS options: `--cafile`, `--certfile`, `--keyfile` (PEM).
public struct TLSFiles: Sendable, Equatable {
    /// Verifies the controller's certificate against this CA; nil verifies nothing (as LINSTOR's client).
    public var certificateAuthority: String?
    /// A client certificate for controllers that require one.
    public var certificate: String?
    /// The client certificate's key; nil when it is in the certificate file.
    public var key: String?

    public init(certificateAuthority: String? = nil, certificate: String? = nil, key: String? = nil) {
        self.certificateAuthority = certificateAuthority
        self.certificate = certificate
        self.key = key
    }

    var described: String {
        [("--cafile", self.certificateAuthority), ("--certfile", self.certificate), ("--keyfile", self.key)]
            .compactMap { name, path in path.map { "\(name) \($0)" } }.joined(separator: ", ")
    }
}
