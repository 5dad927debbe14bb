/// The size each layer of one volume must provide, from the net size down to the backing volume.
///
/// The controller reports these sizes in resource lists and sends ``storageKiB`` to the satellite as
/// the size of the backing volume, so both sides agree on what DRBD and LUKS add on top of the net size.
public struct LayerSizes: Sendable, Equatable {
    /// DRBD's device with internal metadata; `nil` for a diskless replica or an impossible size.
    public var drbdGrossKiB: Int64?
    /// What LUKS offers above it (the net size of the layer below DRBD, if any).
    public var luksNetKiB: Int64?
    /// What LUKS needs from below: its net size plus ``luksHeaderKiB``.
    public var luksGrossKiB: Int64?
    /// The backing volume's size in the storage pool.
    public var storageKiB: Int64

    /// LUKS2's default header and keyslot area.
    public static let luksHeaderKiB: Int64 = 16 * 1024

    /// Walks the replica's layer stack top-down, each layer adding its overhead to the size it passes on.
    public init(resource: Resource, definition: ResourceDefinition, volume: VolumeDefinition) {
        var size = volume.sizeKiB
        for kind in resource.layerStack {
            switch kind {
            case .drbd:
                if resource.isDiskless {
                    self.drbdGrossKiB = nil
                    size = 0
                } else {
                    let peerSlots = resource.drbd?.peerSlots ?? definition.drbd?.peerSlots ?? DRBDResourceDefinitionData.defaultPeerSlots
                    let layout = try? DRBDMetadataLayout(peerSlots: peerSlots)
                    let gross = (try? layout?.internalGrossSizeKiB(forUsableKiB: size)) ?? nil
                    self.drbdGrossKiB = gross
                    size = gross ?? size
                }
            case .luks:
                self.luksNetKiB = size
                size += Self.luksHeaderKiB
                self.luksGrossKiB = size
            case .storage:
                break
            }
        }
        self.storageKiB = size
    }
}
