import DepotModel
import HashTreeCollections

/// The master passphrase's calls, shared by REST and the controller's start-up: scrypt runs here,
/// outside the state actor, on the record the current snapshot holds, and the mutation then checks
/// that the record is still the same.
extension ClusterState {
    static let createPassphraseContext = CallContext(.create, .controllerConfig)
    static let modifyPassphraseContext = CallContext(.modify, .controllerConfig)

    nonisolated var masterKeyRecord: MasterKeyRecord? { self.publisher.snapshot.model.masterKeys[ObjectKey(MasterKeyRecord.name)] }

    /// `POST /v1/encryption/passphrase`.
    nonisolated func createMasterPassphrase(_ passphrase: String?) async -> [Reply] {
        do throws(DepotError) {
            let passphrase = try Self.validPassphrase(passphrase, "new_passphrase")
            guard self.masterKeyRecord == nil else { throw ClusterTransaction.passphraseExists }
            let (record, key) = try MasterKeyCipher.create(passphrase: passphrase)
            return await self.mutate(Self.createPassphraseContext) { (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                try transaction.createMasterKey(record, key)
            }
        } catch {
            return Self.createPassphraseContext.apply([Reply(error)])
        }
    }

    /// `PUT /v1/encryption/passphrase`.
    nonisolated func modifyMasterPassphrase(old: String?, new: String?) async -> [Reply] {
        do throws(DepotError) {
            let new = try Self.validPassphrase(new, "new_passphrase")
            guard let record = self.masterKeyRecord else { throw ClusterTransaction.passphraseMissing }
            let key = try MasterKeyCipher.open(record, passphrase: old ?? "")
            let resealed = try MasterKeyCipher.seal(key.key, with: new)
            return await self.mutate(Self.modifyPassphraseContext) { (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                try transaction.changeMasterPassphrase(from: record, to: resealed, key)
            }
        } catch {
            return Self.modifyPassphraseContext.apply([Reply(error)])
        }
    }

    /// `PATCH /v1/encryption/passphrase`: holds the master key open until the controller stops.
    nonisolated func enterMasterPassphrase(_ passphrase: String) async -> [Reply] {
        do throws(DepotError) {
            guard let record = self.masterKeyRecord else { throw ClusterTransaction.nothingToEnter }
            let key = try MasterKeyCipher.open(record, passphrase: passphrase)
            return await self.mutate(Self.modifyPassphraseContext) { (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                try transaction.enterMasterPassphrase(record, key)
            }
        } catch {
            return Self.modifyPassphraseContext.apply([Reply(error)])
        }
    }

    /// The passphrase from the configuration at start-up: creates the master key when there is
    /// none (as LINSTOR does), opens it otherwise.
    ///
    /// - Throws: the reply's error when the passphrase is wrong: the controller does not start
    ///   half-unlocked with a passphrase its operator believes works.
    nonisolated func applyConfiguredPassphrase(_ passphrase: String) async throws(DepotError) {
        let replies = self.masterKeyRecord == nil ? await self.createMasterPassphrase(passphrase) : await self.enterMasterPassphrase(passphrase)
        if let failure = replies.first(where: { $0.code.isError }) {
            throw DepotError(
                failure.code, "The master passphrase from the configuration was refused: \(failure.message)", cause: failure.cause,
                correction:
                    "Correct [encrypt] passphrase in the configuration (or MASTER_PASSPHRASE), or remove it and enter the passphrase with 'depot encryption enter-passphrase'.")
        }
    }

    /// A passphrase that is there and not empty (LINSTOR does not check; an empty master passphrase
    /// would protect nothing).
    static func validPassphrase(_ value: String?, _ field: String) throws(DepotError) -> String {
        guard let value, !value.isEmpty else {
            throw DepotError(.failInvalidCryptPassphrase, "The passphrase is empty.", cause: "'\(field)' is missing or empty.", correction: "Give a passphrase.")
        }
        return value
    }
}
