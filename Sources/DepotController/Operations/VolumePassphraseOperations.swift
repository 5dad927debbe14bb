import DepotModel
import DepotWire
import HashTreeCollections

/// Volume passphrases: made when a volume gets the LUKS layer, sealed with the master key, changed
/// on request, and the replaced ones forgotten once every replica's header takes the new one.
extension ClusterTransaction {
    /// Whether the definition's volumes are (to be) encrypted: its stack, a replica's, or a volume's flag.
    func isEncrypted(_ definition: ResourceDefinition) -> Bool {
        definition.layerStack.contains(.luks)
            || definition.volumeDefinitions.values.contains { $0.flags.contains(VolumeDefinitionFlag.encrypted) }
            || self.model.resources(ofDefinition: definition.key).contains { $0.layerStack.contains(.luks) }
    }

    /// `given`, or a new random passphrase, sealed with the master key.
    ///
    /// - Throws: when the master key is not open, or `given` cannot be a LUKS passphrase.
    func sealedPassphrase(_ given: String?, for what: String) throws(DepotError) -> SealedVolumePassphrase {
        let key = try self.requireUnlockedMasterKey(for: what)
        let passphrase = try given.map { given throws(DepotError) in try Self.validVolumePassphrase(given) } ?? MasterKeyCipher.newVolumePassphrase()
        return SealedVolumePassphrase(sealed: try MasterKeyCipher.seal(volumePassphrase: passphrase, with: key))
    }

    /// Gives every volume of the definition that has none a passphrase, before a replica with the
    /// LUKS layer is made.
    mutating func ensureVolumePassphrases(_ key: ObjectKey) throws(DepotError) {
        guard var definition = self.model.resourceDefinitions[key] else { return }
        var changed = false
        for number in definition.volumeDefinitions.keys.sorted() where definition.volumeDefinitions[number]?.passphrase == nil {
            definition.volumeDefinitions[number]?.passphrase = try self.sealedPassphrase(
                nil, for: "An encrypted replica of '\(definition.name)'")
            changed = true
        }
        if changed { self.put(definition) }
    }

    /// `PUT …/volume-definitions/{nr}/encryption-passphrase`: every replica changes its key slot
    /// from the current passphrase to `new`; replicas that are down do it when they return.
    mutating func modifyVolumePassphrase(_ resourceName: String, _ number: Int, _ new: String) throws(DepotError) -> [Reply] {
        var definition = try self.model.resourceDefinition(resourceName)
        guard var volume = definition.volumeDefinitions[number] else {
            throw DepotError(
                .failNotFoundVolumeDefinition, "Volume definition \(number) of resource definition '\(definition.name)' not found.",
                objectReferences: ["RscDfn": definition.name, "VlmNr": String(number)])
        }
        var sealed = try self.sealedPassphrase(new, for: "Changing the passphrase of volume \(number) of '\(definition.name)'")
        if let old = volume.passphrase {
            sealed.generation = old.generation + 1
            sealed.former = [old.sealed] + old.former
        }
        volume.passphrase = sealed
        definition.volumeDefinitions[number] = volume
        self.put(definition)
        var replies = [
            Reply(
                .modified, "Volume definition with number '\(number)' of resource definition '\(definition.name)' modified.",
                details: "Volume definition with number '\(number)' of resource definition '\(definition.name)' UUID is: \(volume.uuid)",
                objectReferences: ["RscDfn": definition.name, "VlmNr": String(number)])
        ]
        if !self.model.resources(ofDefinition: definition.key).contains(where: { $0.layerStack.contains(.luks) }) {
            replies.append(
                Reply(
                    .warnNotFound, "No resources have any luks layer, no passphrase has been changed.",
                    cause: "The passphrase is kept for replicas that get the LUKS layer later.", objectReferences: ["RscDfn": definition.name]))
        }
        return replies
    }

    /// Forgets replaced passphrases of the definitions' volumes once every diskful LUKS replica
    /// reported that its header takes the current one.
    mutating func dropFormerPassphrases(_ keys: Set<ObjectKey>) {
        for key in keys.sorted() {
            guard var definition = self.model.resourceDefinitions[key] else { continue }
            let replicas = self.model.resources(ofDefinition: key).filter { $0.layerStack.contains(.luks) && !$0.isDiskless }
            var changed = false
            for number in definition.volumeDefinitions.keys.sorted() {
                guard let passphrase = definition.volumeDefinitions[number]?.passphrase, !passphrase.former.isEmpty else { continue }
                let current = replicas.allSatisfy { replica in
                    self.observed(replica.key)?.volumes.first { $0.number == number }?.luksGeneration == passphrase.generation
                }
                if current {
                    definition.volumeDefinitions[number]?.passphrase?.former = []
                    changed = true
                }
            }
            if changed { self.put(definition) }
        }
    }

    /// cryptsetup reads a passphrase as one line of standard input; LINSTOR takes any string, but
    /// one with a line break could never open the volume again.
    static func validVolumePassphrase(_ passphrase: String) throws(DepotError) -> String {
        guard !passphrase.isEmpty, !passphrase.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\0" }) else {
            throw DepotError(
                .failInvalidCryptPassphrase, "Invalid volume passphrase.", cause: "A volume passphrase must not be empty nor contain line breaks or NUL characters.",
                correction: "Give a passphrase of printable characters on one line.")
        }
        return passphrase
    }
}
