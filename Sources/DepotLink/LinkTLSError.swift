/// Why TLS on a satellite link could not be set up, or why a TLS connection failed.
///
/// The message always names what the operator has to look at: the PEM file and what is wrong with
/// it, or the peer whose handshake failed. ``Code`` is a struct over a private enum, as in
/// `ServiceGroupError`, so new codes can be added without breaking anyone's `switch`.
public struct LinkTLSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case incompleteSettings = "incomplete TLS settings"
            case missingFile = "missing file"
            case unreadableFile = "unreadable file"
            case invalidPEM = "invalid PEM"
            case encryptedKey = "encrypted private key"
            case expiredCertificate = "expired certificate"
            case keyMismatch = "private key does not match certificate"
            case notConfigured = "TLS not configured"
            case certificateRejected = "certificate rejected"
            case handshakeFailed = "TLS handshake failed"
            case handshakeTimedOut = "TLS handshake timed out"
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// Some but not all of certificate, key and CA were given.
        public static let incompleteSettings = Code(.incompleteSettings)
        /// A PEM file does not exist.
        public static let missingFile = Code(.missingFile)
        /// A PEM file exists but cannot be read (permissions, a directory, …).
        public static let unreadableFile = Code(.unreadableFile)
        /// A file holds no PEM block of the expected kind, or one that does not parse.
        public static let invalidPEM = Code(.invalidPEM)
        /// The private key is passphrase-protected; a daemon has nobody to type the passphrase.
        public static let encryptedKey = Code(.encryptedKey)
        /// A certificate's validity has ended; every peer would reject it.
        public static let expiredCertificate = Code(.expiredCertificate)
        /// The private key is not the one the certificate was issued for.
        public static let keyMismatch = Code(.keyMismatch)
        /// A node's interface asks for SSL but this side has no TLS settings.
        public static let notConfigured = Code(.notConfigured)
        /// One side did not trust the other's certificate (wrong CA, expired, missing): an authentication failure.
        public static let certificateRejected = Code(.certificateRejected)
        /// Any other TLS failure, such as a peer that does not speak TLS on that port.
        public static let handshakeFailed = Code(.handshakeFailed)
        /// The peer accepted the TCP connection but did not finish the TLS handshake in time.
        public static let handshakeTimedOut = Code(.handshakeTimedOut)

        public var description: String { self.base.rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// The whole explanation, naming the file or the peer.
    public let message: String

    /// Creates an error; the message should name the file or peer and, where known, the fix.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// Whether the peers failed to authenticate each other, which LINSTOR shows as `AUTHENTICATION_ERROR`.
    public var isAuthenticationFailure: Bool { self.code == .certificateRejected }

    public var description: String { self.message }
}
