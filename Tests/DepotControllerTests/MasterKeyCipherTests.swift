import DepotModel
import DepotWire
import Foundation
import Testing

@testable import DepotController

/// The master key and the volume passphrases sealed with it.
@Suite struct MasterKeyCipherTests {
    @Test func theMasterKeyOpensWithItsPassphraseOnly() throws {
        let (record, key) = try MasterKeyCipher.create(passphrase: "correct horse")
        #expect(record.kdf.algorithm == "scrypt" && record.kdf.rounds == 1 << 15)
        #expect(!record.sealedKey.contains("correct horse"))
        let sealed = try MasterKeyCipher.seal(volumePassphrase: "volume secret", with: key)
        #expect(!sealed.contains("volume secret") && !Data(base64Encoded: sealed)!.contains(Data("volume secret".utf8)))

        let reopened = try MasterKeyCipher.open(record, passphrase: "correct horse")
        #expect(MasterKeyCipher.open(volumePassphrase: sealed, with: reopened) == "volume secret")
        #expect(throws: DepotError.self) { try MasterKeyCipher.open(record, passphrase: "wrong horse") }
        do {
            _ = try MasterKeyCipher.open(record, passphrase: "wrong horse")
        } catch {
            #expect(error.code == .failMissingProperties && error.message.contains("incorrect"))
        }
    }

    /// A changed master passphrase seals the same key: volume passphrases stay readable.
    @Test func resealingKeepsTheKey() throws {
        let (record, key) = try MasterKeyCipher.create(passphrase: "first")
        let sealed = try MasterKeyCipher.seal(volumePassphrase: "volume secret", with: key)
        let resealed = try MasterKeyCipher.seal(key.key, with: "second")
        #expect(resealed.kdf.salt != record.kdf.salt)
        #expect(throws: DepotError.self) { try MasterKeyCipher.open(resealed, passphrase: "first") }
        let opened = try MasterKeyCipher.open(resealed, passphrase: "second")
        #expect(MasterKeyCipher.open(volumePassphrase: sealed, with: opened) == "volume secret")
        #expect("\(opened)" == "<master key>")
    }

    @Test func volumePassphrasesAreRandomAndOneLine() {
        let first = MasterKeyCipher.newVolumePassphrase()
        #expect(first != MasterKeyCipher.newVolumePassphrase())
        #expect(first.count == 44 && !first.contains("\n"))
        #expect("\(VolumeSecret(first))" == "<secret>")
    }

    /// Passphrases travel on TLS links or within this machine; a plain link across a network gets
    /// the reason instead, as does any link while the master key is locked.
    @Test func passphrasesAreReleasedOnlyOverSafeLinks() throws {
        var model = ClusterModel()
        let locked = PassphraseRelease.forLink(to: SatelliteEndpoint(host: "127.0.0.5", port: 3366, encryption: .plain), nodeName: "alpha", model: model)
        guard case .withhold(let reason) = locked else {
            Issue.record("released while locked")
            return
        }
        #expect(reason.contains("enter-passphrase"))

        model.unlockedMasterKey = try MasterKeyCipher.create(passphrase: "p").1
        let plainRemote = PassphraseRelease.forLink(to: SatelliteEndpoint(host: "192.0.2.7", port: 3366, encryption: .plain), nodeName: "alpha", model: model)
        guard case .withhold(let plain) = plainRemote else {
            Issue.record("released over a plain remote link")
            return
        }
        #expect(plain.contains("PLAIN") && plain.contains("SSL"))
        for endpoint in [
            SatelliteEndpoint(host: "192.0.2.7", port: 3367, encryption: .ssl), SatelliteEndpoint(host: "127.0.0.5", port: 3366, encryption: .plain),
            SatelliteEndpoint(host: "::1", port: 3366, encryption: .plain),
        ] {
            guard case .release = PassphraseRelease.forLink(to: endpoint, nodeName: "alpha", model: model) else {
                Issue.record("withheld on \(endpoint)")
                continue
            }
        }
    }
}
