/// `POST`/`PUT /v1/encryption/passphrase`: create takes ``newPassphrase`` only, modify both.
public struct PassphraseChangeDTO: Codable, Sendable {
    public var newPassphrase: String?
    public var oldPassphrase: String?

    public init(newPassphrase: String?, oldPassphrase: String? = nil) {
        self.newPassphrase = newPassphrase
        self.oldPassphrase = oldPassphrase
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case newPassphrase = "new_passphrase"
        case oldPassphrase = "old_passphrase"
    }
}

/// `GET /v1/encryption/passphrase`: one object (LINSTOR's spec says a list; its server sends one).
public struct PassphraseStatusDTO: Codable, Sendable, Equatable {
    /// `unset`, `locked` or `unlocked`.
    public var status: String

    public init(status: String) { self.status = status }
}

/// `PUT …/volume-definitions/{nr}/encryption-passphrase`.
public struct VolumeDefinitionPassphraseDTO: Codable, Sendable {
    public var newPassphrase: String

    public init(newPassphrase: String) { self.newPassphrase = newPassphrase }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case newPassphrase = "new_passphrase"
    }
}
