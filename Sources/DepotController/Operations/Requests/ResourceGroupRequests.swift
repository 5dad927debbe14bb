import DepotModel

/// A resource group to create: a placement profile and the properties its definitions inherit.
struct NewResourceGroup: Sendable {
    var name: String?
    var description: String?
    var props: [String: String] = [:]
    var selectFilter: AutoSelectFilter?
    var peerSlots: Int?
    var uuid: String?
}

/// A change to a resource group; absent fields stay as they are.
struct ResourceGroupModification: Sendable {
    var description: String?
    var props = PropertyChange()
    /// Only the fields it sets replace the group's (``AutoSelectFilter/replacingFields(of:)``).
    var selectFilter: AutoSelectFilter?
    var peerSlots: Int?
}

/// A volume group to create: the properties and flags of one volume number of the group's definitions.
struct NewVolumeGroup: Sendable {
    /// `nil` takes the lowest free number.
    var number: Int?
    var props: [String: String] = [:]
    /// `NAME` sets a flag, `-NAME` clears it.
    var flags: [String] = []
    var uuid: String?
}

/// A change to a volume group.
struct VolumeGroupModification: Sendable {
    var props = PropertyChange()
    /// `NAME` sets a flag, `-NAME` clears it.
    var flags: [String] = []
}

/// A definition, its volumes and (with a place count) its replicas made from a group's profile.
struct ResourceGroupSpawn: Sendable {
    var definitionName: String?
    var externalName: String?
    /// One net size per volume group, in the order of the group's volume numbers.
    var volumeSizes: [Int64] = []
    /// Fields it sets replace the group's for this spawn.
    var selectFilter: AutoSelectFilter?
    /// Sizes need not match the volume groups one to one.
    var isPartial = false
    /// Create the definition and volumes, place nothing.
    var definitionsOnly = false
    var peerSlots: Int?
    var definitionProps: [String: String] = [:]
    /// LUKS passphrases of the new volumes, in the order of ``volumeSizes`` (none: random ones).
    var volumePassphrases: [String] = []
    /// Answer with what would happen and change nothing.
    var isDryRun = false
}
