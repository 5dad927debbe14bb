import Crypto
import CryptoExtras
import DepotModel
import Foundation

/// The controller's encryption at rest of volume passphrases: a random master key, sealed with a key
/// derived from the master passphrase by scrypt, and AES-GCM for everything sealed with it.
///
/// Only swift-crypto's primitives are used: scrypt for the passphrase (slow and memory-hard, so a
/// stolen database cannot be searched quickly for it) and AES-256-GCM, whose tag makes a wrong
/// passphrase or a tampered row fail to open instead of yielding a wrong key.
enum MasterKeyCipher {
    /// scrypt's cost: 2^15 rounds with 8-block lanes take about 32 MiB and a tenth of a second.
    static let rounds = 1 << 15
    static let blockSize = 8
    static let parallelism = 1
    static let saltBytes = 32
    /// Bound to every sealed master key, so a row sealed for another purpose never opens as one.
    private static let masterKeyContext = Data("depot master key v1".utf8)
    private static let volumeContext = Data("depot volume passphrase v1".utf8)

    /// A new random master key and its record sealed with `passphrase`.
    static func create(passphrase: String) throws(DepotError) -> (MasterKeyRecord, UnlockedMasterKey) {
        let key = SymmetricKey(size: .bits256)
        let record = try self.seal(key, with: passphrase)
        return (record, UnlockedMasterKey(key))
    }

    /// The same master key sealed with a new passphrase (fresh salt).
    static func seal(_ key: SymmetricKey, with passphrase: String) throws(DepotError) -> MasterKeyRecord {
        let kdf = MasterKeyRecord.KeyDerivation(
            algorithm: "scrypt", salt: Self.randomBytes(Self.saltBytes).base64EncodedString(), rounds: Self.rounds, blockSize: Self.blockSize, parallelism: Self.parallelism)
        let wrapping = try self.derive(passphrase, kdf)
        let material = key.withUnsafeBytes { Data($0) }
        do {
            let box = try AES.GCM.seal(material, using: wrapping, authenticating: Self.masterKeyContext)
            guard let combined = box.combined else { throw Self.internalFailure("AES-GCM gave no combined box") }
            return MasterKeyRecord(kdf: kdf, sealedKey: combined.base64EncodedString())
        } catch let error as DepotError {
            throw error
        } catch {
            throw Self.internalFailure("\(error)")
        }
    }

    /// Opens the master key with `passphrase`.
    ///
    /// - Throws: ``DepotError`` with LINSTOR's wrong-passphrase reply when the tag does not match.
    static func open(_ record: MasterKeyRecord, passphrase: String) throws(DepotError) -> UnlockedMasterKey {
        let wrapping = try self.derive(passphrase, record.kdf)
        guard let combined = Data(base64Encoded: record.sealedKey), let box = try? AES.GCM.SealedBox(combined: combined) else {
            throw Self.internalFailure("the stored master key is not a sealed box")
        }
        guard let material = try? AES.GCM.open(box, using: wrapping, authenticating: Self.masterKeyContext) else {
            // LINSTOR's words and code (FAIL_MISSING_PROPS), on modify and on enter alike.
            throw DepotError(
                .failMissingProperties, "Could not restore master passphrase as the given old passphrase was incorrect", cause: "Wrong passphrase",
                correction: "Enter the correct passphrase")
        }
        return UnlockedMasterKey(SymmetricKey(data: material))
    }

    /// A random volume passphrase: 32 random bytes as base64, printable and free of newlines, so
    /// cryptsetup reads it from standard input as one line.
    static func newVolumePassphrase() -> String {
        Self.randomBytes(32).base64EncodedString()
    }

    /// Seals a volume passphrase with the master key.
    static func seal(volumePassphrase: String, with key: UnlockedMasterKey) throws(DepotError) -> String {
        do {
            let box = try AES.GCM.seal(Data(volumePassphrase.utf8), using: key.key, authenticating: Self.volumeContext)
            guard let combined = box.combined else { throw Self.internalFailure("AES-GCM gave no combined box") }
            return combined.base64EncodedString()
        } catch let error as DepotError {
            throw error
        } catch {
            throw Self.internalFailure("\(error)")
        }
    }

    /// Opens a sealed volume passphrase; `nil` when it was not sealed with `key`.
    static func open(volumePassphrase sealed: String, with key: UnlockedMasterKey) -> String? {
        guard let combined = Data(base64Encoded: sealed), let box = try? AES.GCM.SealedBox(combined: combined),
            let plain = try? AES.GCM.open(box, using: key.key, authenticating: Self.volumeContext)
        else { return nil }
        return String(decoding: plain, as: UTF8.self)
    }

    private static func derive(_ passphrase: String, _ kdf: MasterKeyRecord.KeyDerivation) throws(DepotError) -> SymmetricKey {
        guard kdf.algorithm == "scrypt", let salt = Data(base64Encoded: kdf.salt) else {
            throw Self.internalFailure("the stored master key uses the unknown key derivation '\(kdf.algorithm)'")
        }
        do {
            return try KDF.Scrypt.deriveKey(
                from: Data(passphrase.utf8), salt: salt, outputByteCount: 32, rounds: kdf.rounds, blockSize: kdf.blockSize, parallelism: kdf.parallelism)
        } catch {
            throw Self.internalFailure("scrypt failed: \(error)")
        }
    }

    private static func internalFailure(_ cause: String) -> DepotError {
        DepotError(
            .failUnknownError, "The controller could not process the master key.", cause: cause,
            correction: "Check the controller's database; the master key record may be damaged.")
    }

    /// Bytes from swift-crypto's random source (the system's CSPRNG).
    private static func randomBytes(_ count: Int) -> Data {
        SymmetricKey(size: SymmetricKeySize(bitCount: count * 8)).withUnsafeBytes { Data($0) }
    }
}

/// The master key while the controller holds it open: in memory only, never printed.
struct UnlockedMasterKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    let key: SymmetricKey

    init(_ key: SymmetricKey) { self.key = key }

    var description: String { "<master key>" }
    var debugDescription: String { "<master key>" }
}
