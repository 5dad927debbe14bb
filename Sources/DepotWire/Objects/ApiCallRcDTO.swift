/// One entry of the reply to a mutating call: LINSTOR's `ApiCallRc`.
public struct ApiCallRcDTO: Codable, Sendable, Equatable {
    public var retCode: Int64 = 0
    public var message: String = ""
    public var cause: String?
    public var details: String?
    public var correction: String?
    public var errorReportIDs: [String]?
    public var objRefs: [String: String]?
    public var createdAt: String?

    public init() {}

    public init(retCode: Int64, message: String, cause: String? = nil, correction: String? = nil, details: String? = nil, objRefs: [String: String] = [:]) {
        self.retCode = retCode
        self.message = message
        self.cause = cause.nonEmpty
        self.correction = correction.nonEmpty
        self.details = details.nonEmpty
        self.objRefs = objRefs.nonEmpty
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case retCode = "ret_code"
        case message, cause, details, correction
        case errorReportIDs = "error_report_ids"
        case objRefs = "obj_refs"
        case createdAt = "created_at"
    }
}

/// `GET /v1/controller/version`.
public struct ControllerVersionDTO: Codable, Sendable {
    public var version: String = ""
    public var gitHash: String?
    public var buildTime: String?
    public var restAPIVersion: String = ""

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case version
        case gitHash = "git_hash"
        case buildTime = "build_time"
        case restAPIVersion = "rest_api_version"
    }
}

/// The property-change body shared by every modify call that has nothing else to change.
public struct PropsModifyDTO: Codable, Sendable {
    public var overrideProps: [String: String]?
    public var deleteProps: [String]?
    public var deleteNamespaces: [String]?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case overrideProps = "override_props"
        case deleteProps = "delete_props"
        case deleteNamespaces = "delete_namespaces"
    }
}

extension Optional where Wrapped == String {
    /// LINSTOR omits empty strings from responses.
    var nonEmpty: String? {
        guard let value = self, !value.isEmpty else { return nil }
        return value
    }
}

extension Collection {
    /// LINSTOR omits empty lists and maps from responses.
    public var nonEmpty: Self? { self.isEmpty ? nil : self }
}
