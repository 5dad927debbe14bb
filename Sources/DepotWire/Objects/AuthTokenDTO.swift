/// `POST /v1/controller/auth/initialize-token-auth` (LINSTOR's `InitAuthTokenRequest`).
public struct InitAuthTokenRequestDTO: Codable, Sendable {
    public var onlySatellites: Bool?
    public var description: String?
    public var noHTTPS: Bool?

    public init(onlySatellites: Bool? = nil, description: String? = nil, noHTTPS: Bool? = nil) {
        self.onlySatellites = onlySatellites
        self.description = description
        self.noHTTPS = noHTTPS
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case onlySatellites = "only_satellites"
        case description
        case noHTTPS = "no_https"
    }
}

/// `POST /v1/controller/auth/token` (LINSTOR's `CreateAuthToken`).
public struct CreateAuthTokenDTO: Codable, Sendable {
    public var description: String?
    /// A date, `YYYY-MM-DD` first; anything after the tenth character is ignored, as LINSTOR does.
    public var expiresAt: String?
    public var ipFilter: String?

    public init(description: String? = nil, expiresAt: String? = nil, ipFilter: String? = nil) {
        self.description = description
        self.expiresAt = expiresAt
        self.ipFilter = ipFilter
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case description
        case expiresAt = "expires_at"
        case ipFilter = "ip_filter"
    }
}

/// `PUT /v1/controller/auth/token/{id}` (LINSTOR's `ModifyAuthToken`): what is given changes.
public struct ModifyAuthTokenDTO: Codable, Sendable {
    public var description: String?
    public var ipFilter: String?
    public var isActive: Bool?

    public init(description: String? = nil, ipFilter: String? = nil, isActive: Bool? = nil) {
        self.description = description
        self.ipFilter = ipFilter
        self.isActive = isActive
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case description
        case ipFilter = "ip_filter"
        case isActive = "is_active"
    }
}

/// One entry of `GET /v1/controller/auth/token` (LINSTOR's `AuthToken`); the token itself is never
/// shown again after it was created.
public struct AuthTokenDTO: Codable, Sendable, Equatable {
    public var id: Int
    public var createdAt: String
    public var isActive: Bool
    public var deletedAt: String?
    public var expiresAt: String?
    public var description: String
    public var ipFilter: String?
    public var isUserToken: Bool

    public init(
        id: Int, createdAt: String, isActive: Bool, deletedAt: String? = nil, expiresAt: String? = nil, description: String, ipFilter: String? = nil,
        isUserToken: Bool
    ) {
        self.id = id
        self.createdAt = createdAt
        self.isActive = isActive
        self.deletedAt = deletedAt
        self.expiresAt = expiresAt
        self.description = description
        self.ipFilter = ipFilter
        self.isUserToken = isUserToken
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id
        case createdAt = "created_at"
        case isActive = "is_active"
        case deletedAt = "deleted_at"
        case expiresAt = "expires_at"
        case description
        case ipFilter = "ip_filter"
        case isUserToken = "is_user_token"
    }

    /// Empty strings are left out, as LINSTOR's `NON_EMPTY` serializer does.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.id, forKey: .id)
        if !self.createdAt.isEmpty { try container.encode(self.createdAt, forKey: .createdAt) }
        try container.encode(self.isActive, forKey: .isActive)
        try container.encodeIfPresent(self.deletedAt, forKey: .deletedAt)
        try container.encodeIfPresent(self.expiresAt, forKey: .expiresAt)
        if !self.description.isEmpty { try container.encode(self.description, forKey: .description) }
        if let ipFilter = self.ipFilter, !ipFilter.isEmpty { try container.encode(ipFilter, forKey: .ipFilter) }
        try container.encode(self.isUserToken, forKey: .isUserToken)
    }
}

/// `GET /v1/controller/auth/token` (LINSTOR's `AuthTokenListResponse`).
public struct AuthTokenListDTO: Codable, Sendable, Equatable {
    public var count: Int
    public var list: [AuthTokenDTO]

    public init(list: [AuthTokenDTO]) {
        self.count = list.count
        self.list = list
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case count, list
    }

    /// An empty list is left out, as LINSTOR's `NON_EMPTY` serializer does.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.count, forKey: .count)
        if !self.list.isEmpty { try container.encode(self.list, forKey: .list) }
    }
}
