/// A REST bearer token as the controller keeps it (LINSTOR 1.34's `AUTH_TOKENS`): only the token's
/// SHA-256 is stored, so a stolen database does not let anyone call the API.
///
/// A revoked token keeps its row (with ``deletedAt``) so that its number is never given again and
/// nothing that was once valid comes back.
public struct AuthToken: Sendable, Codable, Equatable {
    /// LINSTOR's `id`: the number `…/token/{id}` takes.
    public var id: AuthTokenID
    /// Lower-case hex SHA-256 of the token's UTF-8 text.
    public var tokenHash: String
    public var description: String
    /// False while disabled by `PUT …/token/{id}` (`is_active`).
    public var isActive: Bool
    /// Milliseconds since the epoch.
    public var createdAt: Int64
    /// When it was revoked (milliseconds since the epoch); nil while it was not.
    public var deletedAt: Int64?
    /// Midnight UTC of the day it expires (milliseconds since the epoch); nil for never.
    public var expiresAt: Int64?
    /// The one client address allowed to use it; nil or empty for any.
    public var ipFilter: String?
    /// False for the tokens the controller makes for itself (LINSTOR's satellite tokens).
    public var isUserToken: Bool

    public init(
        id: AuthTokenID, tokenHash: String, description: String, isActive: Bool = true, createdAt: Int64, deletedAt: Int64? = nil,
        expiresAt: Int64? = nil, ipFilter: String? = nil, isUserToken: Bool = true
    ) {
        self.id = id
        self.tokenHash = tokenHash
        self.description = description
        self.isActive = isActive
        self.createdAt = createdAt
        self.deletedAt = deletedAt
        self.expiresAt = expiresAt
        self.ipFilter = ipFilter
        self.isUserToken = isUserToken
    }

    public var key: AuthTokenID { self.id }

    /// Why the token cannot be used at `now` (milliseconds since the epoch), in LINSTOR's words;
    /// nil when it can.
    public func refusal(at now: Int64) -> String? {
        if self.deletedAt != nil { return "Token has been revoked." }
        if !self.isActive { return "Token is disabled." }
        if let expiresAt = self.expiresAt, expiresAt < now { return "Token has expired." }
        return nil
    }
}

/// A token's number; ordered as numbers, so lists come out as LINSTOR's do.
public struct AuthTokenID: Sendable, Codable, Hashable, Comparable {
    public var rawValue: Int

    public init(_ rawValue: Int) { self.rawValue = rawValue }

    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(Int.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.rawValue)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
