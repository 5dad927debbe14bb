/// Why a call to the controller did not produce a reply the caller can use.
///
/// Modelled on `ServiceGroupError`: a struct with an extensible ``Code`` so new failure kinds do not
/// break exhaustive switches in callers.
public struct DepotClientError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: Hashable, Sendable {
            case invalidAddress, connectionFailed, timeout, httpStatus, invalidReply, unsupportedServer, insecureAuth
        }

        private let kind: Kind

        /// A controller address that cannot be parsed.
        public static let invalidAddress = Code(kind: .invalidAddress)
        /// Nothing answered at the address, or the connection broke.
        public static let connectionFailed = Code(kind: .connectionFailed)
        /// The controller did not answer within the timeout.
        public static let timeout = Code(kind: .timeout)
        /// An HTTP error status without an ApiCallRc body.
        public static let httpStatus = Code(kind: .httpStatus)
        /// A body that is not the JSON the call returns.
        public static let invalidReply = Code(kind: .invalidReply)
        /// The controller speaks a REST API version this client cannot use.
        public static let unsupportedServer = Code(kind: .unsupportedServer)
        /// A password would be sent over plain HTTP.
        public static let insecureAuth = Code(kind: .insecureAuth)

        public var description: String { String(describing: self.kind) }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { self.message }
}
