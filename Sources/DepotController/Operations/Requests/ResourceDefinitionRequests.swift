import DepotModel

/// A resource definition to create, from `resource-definition create` or a group's spawn.
struct NewResourceDefinition: Sendable {
    var name: String?
    var externalName: String?
    /// `nil` puts it in ``ResourceGroup/defaultName``.
    var resourceGroupName: String?
    /// Layer names top to bottom; `nil` or empty takes the group's stack, else `drbd,storage`.
    var layerStack: [String]?
    var props: [String: String] = [:]
    var uuid: String?
    var drbdPort: Int?
    var drbdSecret: String?
    var drbdPeerSlots: Int?
    var drbdTransportType: String?
}

/// A change to a resource definition; absent fields stay as they are.
struct ResourceDefinitionModification: Sendable {
    var props = PropertyChange()
    var resourceGroupName: String?
    /// Layer names top to bottom; `nil` or empty keeps the stack.
    var layerStack: [String]?
    var drbdPort: Int?
    var drbdPeerSlots: Int?
}

/// A volume definition to create; the volume appears on every replica of its definition.
struct NewVolumeDefinition: Sendable {
    /// `nil` takes the lowest free number.
    var number: Int?
    var sizeKiB: Int64
    var props: [String: String] = [:]
    /// Flags as given (any case).
    var flags: [String] = []
    var uuid: String?
    /// `nil` allocates the lowest free minor (DRBD stacks only).
    var drbdMinor: Int?
    /// The LUKS passphrase to use instead of a random one.
    var passphrase: String?
}

/// A change to a volume definition; absent fields stay as they are.
struct VolumeDefinitionModification: Sendable {
    var sizeKiB: Int64?
    var props = PropertyChange()
    /// `NAME` sets a flag, `-NAME` clears it.
    var flags: [String] = []
}
