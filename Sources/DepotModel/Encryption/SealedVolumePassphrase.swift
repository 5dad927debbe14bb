/// A volume's LUKS passphrase as the controller keeps it: sealed with the cluster's master key, so
/// the database, a backup or an export never holds it in clear.
///
/// A changed passphrase keeps the ones it replaced until every diskful replica reported that its
/// LUKS header takes the new one: a replica that was down during the change opens with an earlier
/// passphrase and changes its key slot when it returns.
public struct SealedVolumePassphrase: Sendable, Codable, Equatable {
    /// The current passphrase, sealed (AES-GCM, base64).
    public var sealed: String
    /// Counts changes, so replicas can say which passphrase their header takes.
    public var generation: Int
    /// Earlier passphrases, newest first, sealed; dropped once no replica needs them.
    public var former: [String]

    public init(sealed: String, generation: Int = 1, former: [String] = []) {
        self.sealed = sealed
        self.generation = generation
        self.former = former
    }
}
