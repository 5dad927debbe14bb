/// Property keys and flags through which the controller steers the DRBD layer, spelled as LINSTOR's.
public enum DRBDKeys {
    /// Volume definition: the node whose data every other replica starts from.
    public static let initialUpToDateOn = "Linstor/Drbd/InitialUptoDateOn"
    /// Volume definition: the generation id ("day 0") all replicas of a fresh volume share.
    public static let currentGenerationID = "DrbdCurrentGi"
    /// Resource definition: the quorum policy; set automatically unless the user set it.
    public static let quorum = "DrbdOptions/Resource/quorum"
    public static let onNoQuorum = "DrbdOptions/Resource/on-no-quorum"
    /// Resource definition: who set ``quorum`` (`Linstor` when Depot chose it).
    public static let quorumSetBy = "Internal/Drbd/QuorumSetBy"
    /// Controller: the `on-no-quorum` policy automatic quorum uses (default `io-error`), or `disabled`.
    public static let autoQuorum = "DrbdOptions/auto-quorum"
    /// Controller/group/definition: whether two diskful replicas get a diskless tie-breaker.
    public static let autoTieBreaker = "DrbdOptions/auto-add-quorum-tiebreaker"
    public static let forceInitialSync = "DrbdOptions/ForceInitialSync"

    /// The sections of a `.res` file that `DrbdOptions/<section>/<option>` keys go to.
    public static let sections: Set<String> = ["Net", "Disk", "Resource", "PeerDevice", "Handlers"]

    /// Whether `key` is a DRBD option (`DrbdOptions/Net/max-buffers`), not a Depot setting under
    /// `DrbdOptions/` such as `auto-quorum`.
    public static func isDRBDOption(_ key: String) -> Bool {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0] == "DrbdOptions" && self.sections.contains(String(parts[1])) && !parts[2].isEmpty
    }

    /// A fresh random generation id: 16 hex digits, the lowest bit clear as DRBD keeps it for flags.
    public static func makeGenerationID() -> String {
        let value = UInt64.random(in: 1...UInt64.max) & ~UInt64(1)
        let hex = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// Volume definition flags as LINSTOR spells them.
public enum VolumeDefinitionFlag {
    /// Some replica reached UpToDate: new replicas sync from their peers, none is an initial source.
    public static let drbdInitialized = "DRBD_INITIALIZED"
    /// `volume-definition create --encrypt`: resources get the LUKS layer.
    public static let encrypted = "ENCRYPTED"
}
