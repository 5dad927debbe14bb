import DepotModel
import DepotWire

/// LINSTOR's request bodies for resources and their definitions, read into the model's requests.
///
/// Only the shape changes here: values keep the caller's spelling so that the operations check them
/// (and word their errors) the same way for every route that reaches them.
extension WireMapper {
    static func newResource(_ dto: ResourceCreateDTO) -> NewResource {
        NewResource(
            nodeName: dto.resource.nodeName, props: dto.resource.props ?? [:], flags: dto.resource.flags ?? [], layerStack: dto.layerList,
            isDRBDClient: dto.drbdClient == true, drbdNodeID: dto.drbdNodeID, drbdTCPPortCount: dto.drbdTCPPortCount,
            drbdTCPPorts: dto.drbdTCPPorts, uuid: dto.resource.uuid)
    }

    /// A replica's modify body; only its properties change (`drbd_tiebreaker` and `drbd_client` are not read).
    static func resourceModification(_ dto: ResourceModifyDTO) -> PropertyChange {
        self.propertyChange(dto.overrideProps, dto.deleteProps, dto.deleteNamespaces)
    }

    static func newResourceDefinition(_ dto: ResourceDefinitionCreateDTO) -> NewResourceDefinition {
        let inner = dto.resourceDefinition
        return NewResourceDefinition(
            name: inner.name, externalName: inner.externalName, resourceGroupName: inner.resourceGroupName,
            layerStack: inner.layerData?.map(\.type), props: inner.props ?? [:], uuid: inner.uuid, drbdPort: dto.drbdPort,
            drbdSecret: dto.drbdSecret, drbdPeerSlots: dto.drbdPeerSlots, drbdTransportType: dto.drbdTransportType)
    }

    static func resourceDefinitionModification(_ dto: ResourceDefinitionModifyDTO) -> ResourceDefinitionModification {
        ResourceDefinitionModification(
            props: self.propertyChange(dto.overrideProps, dto.deleteProps, dto.deleteNamespaces), resourceGroupName: dto.resourceGroup,
            layerStack: dto.layerStack, drbdPort: dto.drbdPort, drbdPeerSlots: dto.drbdPeerSlots)
    }

    static func newVolumeDefinition(_ dto: VolumeDefinitionCreateDTO) -> NewVolumeDefinition {
        let inner = dto.volumeDefinition
        return NewVolumeDefinition(
            number: inner.volumeNumber, sizeKiB: inner.sizeKiB, props: inner.props ?? [:], flags: inner.flags ?? [], uuid: inner.uuid,
            drbdMinor: dto.drbdMinorNumber, passphrase: dto.passphrase)
    }

    static func volumeDefinitionModification(_ dto: VolumeDefinitionModifyDTO) -> VolumeDefinitionModification {
        VolumeDefinitionModification(
            sizeKiB: dto.sizeKiB, props: self.propertyChange(dto.overrideProps, dto.deleteProps, dto.deleteNamespaces), flags: dto.flags ?? [])
    }

    /// The placement filter of `autoplace`: the top-level fields win over the filter's, as in LINSTOR,
    /// and only when set.
    static func autoPlaceFilter(_ dto: AutoPlaceRequestDTO) -> AutoSelectFilter {
        var filter = self.selectFilter(dto.selectFilter ?? AutoSelectFilterDTO())
        if let stack = dto.layerList, !stack.isEmpty { filter.layerStack = stack }
        if let remaining = dto.disklessOnRemaining { filter.disklessOnRemaining = remaining }
        return filter
    }

    /// `toggle-disk`'s operation; no operation means "give it a disk".
    static func makeAvailable(_ dto: ResourceMakeAvailableDTO) -> MakeAvailable {
        MakeAvailable(diskful: dto.diskful == true, layerList: dto.layerList, drbdTCPPorts: dto.drbdTCPPorts)
    }

    static func diskToggle(_ dto: ToggleDiskDTO) throws(DepotError) -> DiskToggle {
        switch dto.operation?.uppercased() {
        case nil, "INTO_DRBD_DISKFUL": return .diskful(pool: dto.storagePool)
        case "INTO_DRBD_DISKLESS", "INTO_DRBD_CLIENT": return .diskless(pool: dto.storagePool)
        case let other?:
            throw DepotError(
                .failInvalidRequest, "Invalid toggle-disk operation '\(other)'.", correction: "Use INTO_DRBD_DISKFUL, INTO_DRBD_DISKLESS or INTO_DRBD_CLIENT.")
        }
    }

    /// The three property fields every LINSTOR modify body carries.
    static func propertyChange(_ overrideProps: [String: String]?, _ deleteProps: [String]?, _ deleteNamespaces: [String]?) -> PropertyChange {
        PropertyChange(overrideProps: overrideProps ?? [:], deleteProps: deleteProps ?? [], deleteNamespaces: deleteNamespaces ?? [])
    }
}

extension PropsModifyDTO {
    /// The body of a modify call that changes only properties.
    var change: PropertyChange { WireMapper.propertyChange(self.overrideProps, self.deleteProps, self.deleteNamespaces) }
}
