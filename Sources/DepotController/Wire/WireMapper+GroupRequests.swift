import DepotModel
import DepotWire

/// LINSTOR's request bodies for resource and volume groups, read into the model's requests.
extension WireMapper {
    static func newResourceGroup(_ dto: ResourceGroupDTO) -> NewResourceGroup {
        NewResourceGroup(
            name: dto.name, description: dto.description, props: dto.props ?? [:], selectFilter: dto.selectFilter.map { self.selectFilter($0) },
            peerSlots: dto.peerSlots, uuid: dto.uuid)
    }

    static func resourceGroupModification(_ dto: ResourceGroupModifyDTO) -> ResourceGroupModification {
        ResourceGroupModification(
            description: dto.description, props: self.propertyChange(dto.overrideProps, dto.deleteProps, dto.deleteNamespaces),
            selectFilter: dto.selectFilter.map { self.selectFilter($0) }, peerSlots: dto.peerSlots)
    }

    static func newVolumeGroup(_ dto: VolumeGroupDTO) -> NewVolumeGroup {
        NewVolumeGroup(number: dto.volumeNumber, props: dto.props ?? [:], flags: dto.flags ?? [], uuid: dto.uuid)
    }

    static func volumeGroupModification(_ dto: VolumeGroupModifyDTO) -> VolumeGroupModification {
        VolumeGroupModification(props: self.propertyChange(dto.overrideProps, dto.deleteProps, dto.deleteNamespaces), flags: dto.flags ?? [])
    }

    static func resourceGroupSpawn(_ dto: ResourceGroupSpawnDTO) -> ResourceGroupSpawn {
        ResourceGroupSpawn(
            definitionName: dto.resourceDefinitionName, externalName: dto.resourceDefinitionExternalName, volumeSizes: dto.volumeSizes ?? [],
            selectFilter: dto.selectFilter.map { self.selectFilter($0) }, isPartial: dto.partial == true, definitionsOnly: dto.definitionsOnly == true,
            peerSlots: dto.peerSlots, definitionProps: dto.resourceDefinitionProps ?? [:], volumePassphrases: dto.volumePassphrases ?? [],
            isDryRun: dto.dryRun == true)
    }

    /// The filter of `adjust`; an absent body or filter adds nothing to the groups' own.
    static func adjustFilter(_ dto: ResourceGroupAdjustDTO?) -> AutoSelectFilter {
        dto?.selectFilter.map { self.selectFilter($0) } ?? AutoSelectFilter()
    }
}
