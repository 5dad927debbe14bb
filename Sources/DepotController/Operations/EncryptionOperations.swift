import DepotModel
import HashTreeCollections

/// The master passphrase's operations, given what the slow part (scrypt, outside the state actor)
/// already derived: each checks that the record it derived from is still the stored one.
extension ClusterTransaction {
    /// Where the master key stands, as `GET /v1/encryption/passphrase` reports it.
    enum MasterKeyStatus: String {
        case unset, locked, unlocked
    }

    var masterKeyStatus: MasterKeyStatus { Self.status(of: self.model) }

    static func status(of model: ClusterModel) -> MasterKeyStatus {
        guard model.masterKeys[ObjectKey(MasterKeyRecord.name)] != nil else { return .unset }
        return model.unlockedMasterKey == nil ? .locked : .unlocked
    }

    /// Stores a new master key, open at once.
    mutating func createMasterKey(_ record: MasterKeyRecord, _ key: UnlockedMasterKey) throws(DepotError) -> [Reply] {
        guard self.model.masterKeys[record.key] == nil else { throw Self.passphraseExists }
        self.put(record)
        self.unlock(key)
        return [Reply(.created, "Crypt passphrase created.")]
    }

    /// Seals the same master key with a new passphrase; the old one proved it is known, so a
    /// locked controller is unlocked as well.
    mutating func changeMasterPassphrase(from old: MasterKeyRecord, to new: MasterKeyRecord, _ key: UnlockedMasterKey) throws(DepotError) -> [Reply] {
        guard self.model.masterKeys[old.key] == old else { throw Self.changedMeanwhile }
        self.put(new)
        if self.model.unlockedMasterKey == nil { self.unlock(key) }
        return [Reply(.modified, "Crypt passphrase updated")]
    }

    /// Holds the master key open until the controller stops.
    mutating func enterMasterPassphrase(_ record: MasterKeyRecord, _ key: UnlockedMasterKey) throws(DepotError) -> [Reply] {
        guard self.model.masterKeys[record.key] == record else { throw Self.changedMeanwhile }
        if self.model.unlockedMasterKey == nil { self.unlock(key) }
        return [Reply(.passphraseAccepted, "Passphrase accepted")]
    }

    /// The master key, or why encrypted volumes cannot be made now (LINSTOR's FAIL_NOT_FOUND_CRYPT_KEY).
    func requireUnlockedMasterKey(for what: String) throws(DepotError) -> UnlockedMasterKey {
        if let key = self.model.unlockedMasterKey { return key }
        let unset = self.masterKeyStatus == .unset
        throw DepotError(
            .failNotFoundCryptKey, "\(what) needs the master key, which is \(unset ? "not created yet" : "locked: its passphrase was not entered since the controller started").",
            cause: "Volume passphrases are kept encrypted with the master key.",
            correction: unset
                ? "Create the master passphrase: 'depot encryption create-passphrase' (POST /v1/encryption/passphrase)."
                : "Enter the master passphrase: 'depot encryption enter-passphrase' (PATCH /v1/encryption/passphrase), or set [encrypt] passphrase in the controller's configuration."
        )
    }

    static let passphraseExists = DepotError(
        .failExistsCryptPassphrase, "Could not create new crypt passphrase as it already exists", cause: "A passphrase was already defined",
        correction: "Use the crypt-modify-passphrase command instead of crypt-create-passphrase")

    static let passphraseMissing = DepotError(
        .failExistsCryptPassphrase, "Could not modify crypt passphrase as it does not exist", cause: "No passphrase was defined yet",
        correction: "Use the crypt-create-passphrase command instead of crypt-modify-passphrase")

    static let nothingToEnter = DepotError(
        .failMissingProperties, "encrypted namespace is empty, you need to set a passphrase first",
        correction: "Create the master passphrase: 'depot encryption create-passphrase' (POST /v1/encryption/passphrase).")

    static let changedMeanwhile = DepotError(
        .failMissingProperties, "The master passphrase was changed while this request was processed; nothing was done.", correction: "Repeat the request.")
}
