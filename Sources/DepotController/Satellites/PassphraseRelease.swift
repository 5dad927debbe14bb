import DepotModel
import DepotWire
import HashTreeCollections

/// Whether a node's satellite gets its volumes' LUKS passphrases now, and if not, why.
///
/// Passphrases leave the controller only inside a desired state on the satellite link, and only
/// when the link is TLS (the satellite proved itself with the cluster CA) or stays on this machine
/// (a loopback address). A plain link across a network would put them on the wire in clear: the
/// satellite then gets the reason instead and keeps open what it has open.
enum PassphraseRelease: Sendable {
    case release(UnlockedMasterKey)
    case withhold(String)

    static func forLink(to endpoint: SatelliteEndpoint, nodeName: String, model: ClusterModel) -> PassphraseRelease {
        guard let key = model.unlockedMasterKey else {
            return .withhold(
                "the controller's master passphrase has not been entered (depot encryption enter-passphrase, or [encrypt] passphrase in the controller's configuration)")
        }
        guard endpoint.encryption == .ssl || Self.isLoopback(endpoint.host) else {
            return .withhold(
                "the link to node '\(nodeName)' (\(endpoint)) is PLAIN and leaves this machine; passphrases are only sent over SSL links (node interface modify --communication-type SSL)"
            )
        }
        return .release(key)
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "::1" || host == "localhost" || host.hasPrefix("127.")
    }

    /// The LUKS settings of one diskful volume of `resource`.
    func luksVolume(_ volume: VolumeDefinition, of resource: Resource, in model: ClusterModel) -> DesiredLUKSVolume {
        let properties = model.effectiveProperties(ofVolume: volume.number, of: resource)
        let sealed = volume.passphrase
        var desired = DesiredLUKSVolume(
            passphrase: nil, generation: sealed?.generation ?? 0, allowDiscards: properties["Luks/AllowDiscards"]?.lowercased() == "true",
            formatOptions: OptionWords.split(properties["StorDriver/LuksFormatOptions"] ?? ""),
            openOptions: OptionWords.split(properties["StorDriver/LuksOpenOptions"] ?? ""))
        switch self {
        case .withhold(let reason):
            desired.withheld = reason
        case .release(let key):
            guard let sealed else {
                desired.withheld = "volume definition \(volume.number) of '\(resource.resourceName)' has no passphrase"
                return desired
            }
            guard let passphrase = MasterKeyCipher.open(volumePassphrase: sealed.sealed, with: key) else {
                desired.withheld = "the passphrase of volume \(volume.number) of '\(resource.resourceName)' does not open with the master key"
                return desired
            }
            desired.passphrase = VolumeSecret(passphrase)
            // The definition's snapshots keep the passphrases their headers take: a rollback or a
            // restore of an older snapshot opens with one of them and gets the current one.
            let snapshots = (model.snapshotsByDefinition[ObjectKey(resource.resourceName)] ?? []).sorted()
                .compactMap { model.snapshots[$0]?.volumes[volume.number]?.passphrase?.sealed }
            var seen: Set<String> = [passphrase]
            desired.former = (sealed.former + snapshots).compactMap { MasterKeyCipher.open(volumePassphrase: $0, with: key) }
                .filter { seen.insert($0).inserted }.map(VolumeSecret.init)
        }
        return desired
    }
}
