/// The cluster's master key as the database keeps it: sealed with a key derived from the master
/// passphrase, which is never stored.
///
/// One record at most (``name``). Changing the passphrase seals the same master key again, so the
/// volume passphrases sealed with it stay valid and no satellite is involved.
public struct MasterKeyRecord: Sendable, Codable, Equatable {
    /// The only record's name.
    public static let name = "master"

    public var name: String
    /// The key-derivation function's name and parameters (scrypt, as LINSTOR derives its key).
    public var kdf: KeyDerivation
    /// The master key, sealed with the derived key (AES-GCM, base64).
    public var sealedKey: String

    /// - Parameter name: ``name`` for the controller's record; the store's tests keep several.
    public init(name: String = Self.name, kdf: KeyDerivation, sealedKey: String) {
        self.name = name
        self.kdf = kdf
        self.sealedKey = sealedKey
    }

    public var key: ObjectKey { ObjectKey(self.name) }

    /// How the passphrase became a key: kept with the record so later versions may raise the cost
    /// without making earlier records unreadable.
    public struct KeyDerivation: Sendable, Codable, Equatable {
        public var algorithm: String
        /// Random salt, base64.
        public var salt: String
        public var rounds: Int
        public var blockSize: Int
        public var parallelism: Int

        public init(algorithm: String, salt: String, rounds: Int, blockSize: Int, parallelism: Int) {
            self.algorithm = algorithm
            self.salt = salt
            self.rounds = rounds
            self.blockSize = blockSize
            self.parallelism = parallelism
        }
    }
}
