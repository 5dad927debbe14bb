import DepotModel
public import Foundation

/// What the controller answered: the status and the raw body.
public struct RESTResponse: Sendable {
    public let status: Int
    public let body: Data

    public init(status: Int, body: Data) {
        self.status = status
        self.body = body
    }

    /// The body as order-preserving JSON.
    ///
    /// - Throws: ``DepotClientError`` `invalidReply` when the body is not JSON.
    public func json() throws(DepotClientError) -> JSONValue {
        do {
            return try JSONValue.parse(self.body)
        } catch {
            throw DepotClientError(.invalidReply, "Invalid JSON reply (HTTP \(self.status)): \(error)")
        }
    }

    /// The body decoded as `T`.
    public func decode<T: Decodable>(_ type: T.Type) throws(DepotClientError) -> T {
        do {
            return try JSONDecoder().decode(type, from: self.body)
        } catch {
            throw DepotClientError(.invalidReply, "Unexpected reply (HTTP \(self.status)): \(error)")
        }
    }

    /// The ApiCallRc entries if the body is an ApiCallRc list (the answer of every mutating call, and
    /// of failed reads); `nil` otherwise.
    public func apiCallReplies() -> [ApiCallReply]? {
        guard let value = try? JSONValue.parse(self.body), case .array(let elements) = value else { return nil }
        guard !elements.isEmpty, elements.allSatisfy({ $0["ret_code"]?.int64Value != nil }) else { return nil }
        return elements.map(ApiCallReply.init(raw:))
    }
}

/// One ApiCallRc entry, decoded for printing and exit codes, with its raw JSON kept for `-m`.
public struct ApiCallReply: Sendable {
    public let raw: JSONValue
    public let retCode: Int64
    public let message: String
    public let cause: String?
    public let correction: String?
    public let details: String?
    public let errorReportIDs: [String]

    public init(raw: JSONValue) {
        self.raw = raw
        self.retCode = raw["ret_code"]?.int64Value ?? 0
        self.message = raw["message"]?.stringValue ?? ""
        self.cause = raw["cause"]?.stringValue
        self.correction = raw["correction"]?.stringValue
        self.details = raw["details"]?.stringValue
        self.errorReportIDs = raw["error_report_ids"]?.arrayValue.compactMap(\.stringValue) ?? []
    }

    /// A reply made by the client itself, for failures that have no controller reply.
    public init(errorMessage: String) {
        self.init(raw: .makeObject([("ret_code", .integer(ReturnCode.maskError)), ("message", .string(errorMessage))]))
    }

    /// Severity from the two top bits of `ret_code` (LINSTOR's masks in ``ReturnCode``).
    public var isError: Bool { ReturnCode(rawValue: self.retCode).isError }
    public var isWarning: Bool { ReturnCode(rawValue: self.retCode).isWarning }
    public var isInfo: Bool { ReturnCode(rawValue: self.retCode).isInfo }
}
