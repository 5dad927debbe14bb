import NIOSSL

/// The TLS a ``PostgresURL``'s `sslmode` asks for, as libpq means it.
enum PostgresTLS {
    /// What the connection does about TLS.
    enum Mode {
        case disable
        case prefer(TLSConfiguration)
        case require(TLSConfiguration)
    }

    /// The TLS settings for `url`.
    ///
    /// - Throws: ``PostgresTLSError`` when `sslrootcert` cannot be read, so that a wrong path stops
    ///   the controller at start with the file's name.
    static func mode(for url: PostgresURL) throws(PostgresTLSError) -> Mode {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch url.sslMode {
        case .disable:
            return .disable
        case .prefer, .require:
            // libpq checks nothing in these modes: the traffic is encrypted, the server unverified.
            configuration.certificateVerification = .none
            return url.sslMode == .prefer ? .prefer(configuration) : .require(configuration)
        case .verifyCA, .verifyFull:
            configuration.certificateVerification = url.sslMode == .verifyFull ? .fullVerification : .noHostnameVerification
            if let path = url.sslRootCertificate {
                do {
                    configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(path))
                } catch {
                    throw PostgresTLSError(path: path, underlying: "\(error)")
                }
            }
            return .require(configuration)
        }
    }
}

/// The `sslrootcert` file cannot be used.
struct PostgresTLSError: Error, CustomStringConvertible {
    let path: String
    let underlying: String

    var description: String {
        "Cannot read the certificate authorities in sslrootcert=\(self.path) (\(self.underlying)). Give a readable PEM file, "
            + "or leave sslrootcert out to trust the system's authorities."
    }
}
