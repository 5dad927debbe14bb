public import NIOSSL

/// The TLS side of the controller's HTTPS REST listener, from PEM files checked as strictly as the
/// satellite link's (missing file, not PEM, encrypted or mismatched key, expired certificate are
/// refused at start with the file named).
public enum RESTServerTLS {
    /// A server configuration presenting `certificate` (a chain) with `key`; with `clientCA`,
    /// every client must present a certificate that CA signed (LINSTOR's `[https] truststore`).
    ///
    /// - Throws: ``LinkTLSError`` naming the file.
    public static func configuration(certificate: String, key: String, clientCA: String?) throws(LinkTLSError) -> TLSConfiguration {
        let chain = try LinkTLS.certificates(at: certificate, what: "certificate")
        let privateKey = try LinkTLS.privateKey(at: key)
        try LinkTLS.checkNotExpired(chain[0], path: certificate)
        var configuration: TLSConfiguration
        if let clientCA {
            let authorities = try LinkTLS.certificates(at: clientCA, what: "CA certificate")
            configuration = .makeServerConfigurationWithMTLS(
                certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey), trustRoots: .certificates(authorities))
            configuration.sendCANameList = true
        } else {
            configuration = .makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        }
        configuration.minimumTLSVersion = .tlsv12
        do {
            _ = try NIOSSLContext(configuration: configuration)
        } catch NIOSSLError.failedToLoadPrivateKey {
            throw LinkTLSError(.keyMismatch, "The private key in \(key) does not belong to the certificate in \(certificate).")
        } catch {
            throw LinkTLSError(.invalidPEM, "Cannot use the certificate \(certificate) with the key \(key): \(error)")
        }
        return configuration
    }
}
