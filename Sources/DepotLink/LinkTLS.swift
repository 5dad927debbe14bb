import Foundation
import NIOSSL

/// A loaded and checked TLS identity for one side of satellite links: mutual TLS with one cluster CA.
///
/// Loading happens once, at start-up, so that a missing file, a bad PEM block or a key that does not
/// belong to its certificate stops the daemon with a message naming the file, instead of surfacing
/// later as an anonymous handshake failure on every connection.
///
/// Both sides require the other's certificate to chain to ``LinkTLSFiles/certificateAuthority``.
/// Neither checks host names: the controller dials a node's interface address, which admins change
/// with `node interface modify` and which is usually an IP address, and a dedicated cluster CA that
/// signs only controller and satellite certificates is the authentication (as in LINSTOR, whose SSL
/// netcom trusts its truststore and checks no host names).
public struct LinkTLS: Sendable {
    /// Which end of the link this identity serves.
    public enum Role: Sendable {
        /// The satellite: a TLS server that requires a client certificate.
        case satellite
        /// The controller: a TLS client that presents its certificate and verifies the satellite's.
        case controller
    }

    /// The files this identity was loaded from, for logs.
    public let files: LinkTLSFiles
    /// Which end of the link this identity serves.
    public let role: Role
    /// The common name of this side's certificate, for logs (empty when it has none).
    public let commonName: String
    let context: NIOSSLContext

    /// Loads and checks the PEM files and builds the TLS context.
    ///
    /// - Throws: ``LinkTLSError`` naming the file: missing, unreadable, not PEM, an encrypted or
    ///   mismatched key, or an expired certificate.
    public init(role: Role, files: LinkTLSFiles) throws(LinkTLSError) {
        let chain = try Self.certificates(at: files.certificate, what: "certificate")
        let authorities = try Self.certificates(at: files.certificateAuthority, what: "CA certificate")
        let key = try Self.privateKey(at: files.privateKey)
        for (certificate, path) in [(chain[0], files.certificate)] + authorities.map({ ($0, files.certificateAuthority) }) {
            try Self.checkNotExpired(certificate, path: path)
        }
        var configuration: TLSConfiguration
        switch role {
        case .satellite:
            configuration = .makeServerConfigurationWithMTLS(
                certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key), trustRoots: .certificates(authorities))
            // Lets a client with several identities pick the one this cluster's CA signed.
            configuration.sendCANameList = true
        case .controller:
            configuration = .makeClientConfiguration()
            configuration.certificateChain = chain.map { .certificate($0) }
            configuration.privateKey = .privateKey(key)
            configuration.trustRoots = .certificates(authorities)
            configuration.certificateVerification = .noHostnameVerification
        }
        configuration.minimumTLSVersion = .tlsv12
        do {
            self.context = try NIOSSLContext(configuration: configuration)
        } catch NIOSSLError.failedToLoadPrivateKey {
            throw LinkTLSError(
                .keyMismatch, "The private key in \(files.privateKey) does not belong to the certificate in \(files.certificate).")
        } catch {
            throw LinkTLSError(
                .invalidPEM, "Cannot use the certificate \(files.certificate) with the key \(files.privateKey): \(error)")
        }
        self.files = files
        self.role = role
        self.commonName = chain[0].subjectName.first { $0.type == .commonName }?.value ?? ""
    }

    /// Reads a file's bytes, telling a missing file from an unreadable one.
    static func contents(of path: String, what: String) throws(LinkTLSError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw LinkTLSError(.missingFile, "The TLS \(what) file \(path) does not exist.")
        }
        guard !isDirectory.boolValue else {
            throw LinkTLSError(.unreadableFile, "The TLS \(what) file \(path) is a directory; expected a PEM file.")
        }
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw LinkTLSError(.unreadableFile, "Cannot read the TLS \(what) file \(path): \(error.localizedDescription)")
        }
    }

    /// All certificates in a PEM file, in file order.
    static func certificates(at path: String, what: String) throws(LinkTLSError) -> [NIOSSLCertificate] {
        let bytes = try Self.contents(of: path, what: what)
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMBytes(bytes)
        } catch {
            throw LinkTLSError(
                .invalidPEM, "The TLS \(what) file \(path) holds no readable PEM certificate (expected a '-----BEGIN CERTIFICATE-----' block).")
        }
        guard !certificates.isEmpty else {
            throw LinkTLSError(.invalidPEM, "The TLS \(what) file \(path) holds no PEM certificate.")
        }
        return certificates
    }

    /// The private key in a PEM file; passphrase-protected keys are refused with the fix.
    static func privateKey(at path: String) throws(LinkTLSError) -> NIOSSLPrivateKey {
        let bytes = try Self.contents(of: path, what: "private key")
        let text = String(decoding: bytes, as: UTF8.self)
        // Without this check BoringSSL would prompt for the passphrase on the daemon's terminal.
        if text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || text.contains("Proc-Type: 4,ENCRYPTED") {
            throw LinkTLSError(
                .encryptedKey,
                "The TLS private key \(path) is passphrase-protected; a daemon cannot ask for the passphrase. "
                    + "Store it unencrypted with 'openssl pkey -in \(path) -out KEY.pem' and restrict the file to mode 0600.")
        }
        do {
            return try NIOSSLPrivateKey(bytes: bytes, format: .pem) { (_: NIOSSLPassphraseSetter<[UInt8]>) in
                throw LinkTLSError(.encryptedKey, "The TLS private key \(path) is passphrase-protected.")
            }
        } catch {
            throw LinkTLSError(
                .invalidPEM, "The TLS private key file \(path) holds no readable PEM private key (expected a '-----BEGIN PRIVATE KEY-----' block).")
        }
    }

    /// Refuses an expired certificate at start-up: the peer would reject it on every connection
    /// with nothing better than "certificate verify failed".
    static func checkNotExpired(_ certificate: NIOSSLCertificate, path: String) throws(LinkTLSError) {
        let expiry = Date(timeIntervalSince1970: TimeInterval(certificate.notValidAfter))
        guard expiry > Date() else {
            throw LinkTLSError(.expiredCertificate, "The TLS certificate in \(path) expired on \(expiry); issue a new one.")
        }
    }
}
