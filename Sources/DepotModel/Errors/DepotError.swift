/// The one error type of Depot's API: what failed, why, and what the user can do about it.
///
/// It carries LINSTOR's `ret_code` so that the REST layer can turn it into an ApiCallRc entry and
/// an HTTP status in one place, and so that clients that test ret_code bits keep working.
public struct DepotError: Error, Sendable, CustomStringConvertible {
    public var code: ReturnCode
    public var message: String
    public var cause: String?
    public var correction: String?
    public var details: String?
    public var objectReferences: [String: String]

    public init(
        _ code: ReturnCode,
        _ message: String,
        cause: String? = nil,
        correction: String? = nil,
        details: String? = nil,
        objectReferences: [String: String] = [:]
    ) {
        self.code = code
        self.message = message
        self.cause = cause
        self.correction = correction
        self.details = details
        self.objectReferences = objectReferences
    }

    public var description: String {
        [self.message, self.cause, self.correction].compactMap { $0 }.joined(separator: " ")
    }
}

extension DepotError {
    /// A name that breaks LINSTOR's name rules.
    public init(invalidName error: InvalidNameError) {
        let code: ReturnCode =
            switch error.kind {
            case .node: .failInvalidNodeName
            case .resource, .snapshot: .failInvalidResourceName
            case .storagePool: .failInvalidStoragePoolName
            case .netInterface: .failInvalidNetName
            case .resourceGroup: .failInvalidResourceGroupName
            case .keyValueStore: .failInvalidKeyValueStoreName
            }
        self.init(
            code,
            "The specified \(error.kind.objectDescription) name '\(error.name)' is invalid.",
            cause: error.reason.prefix(1).uppercased() + error.reason.dropFirst() + ".",
            correction: error.kind == .node
                ? "Use a host name: 2 to 255 characters, letters, digits, '-' and '.'."
                : "Use \(error.kind.lengthRange.lowerBound) to \(error.kind.lengthRange.upperBound) characters: a letter or '_' first, then letters, digits, '_' and '-'."
        )
    }

    /// The object named in the request does not exist.
    public static func notFound(
        _ code: ReturnCode,
        _ what: String,
        objectReferences: [String: String] = [:]
    ) -> DepotError {
        DepotError(code, "\(what) not found.", objectReferences: objectReferences)
    }
}
