import DepotModel
import DepotWire
import HashTreeCollections

extension WireMapper {
    static func resourceDefinition(_ definition: ResourceDefinition, withVolumes: Bool) -> ResourceDefinitionDTO {
        var dto = ResourceDefinitionDTO()
        dto.name = definition.name
        dto.externalName = definition.externalName
        dto.props = definition.props.nonEmpty
        dto.flags = definition.flags.sorted().nonEmpty
        dto.layerData = definition.layerStack.map { kind in
            var layer = ResourceDefinitionLayerDTO()
            layer.type = kind.rawValue
            if kind == .drbd, let drbd = definition.drbd { layer.data = self.drbdDefinitionLayer(drbd) }
            return layer
        }
        dto.uuid = definition.uuid
        dto.resourceGroupName = definition.resourceGroupName
        if withVolumes {
            dto.volumeDefinitions =
                definition.volumeDefinitions.keys.sorted().compactMap { number in
                    definition.volumeDefinitions[number].map { self.volumeDefinition($0, of: definition) }
                }.nonEmpty
        }
        return dto
    }

    static func drbdDefinitionLayer(_ drbd: DRBDResourceDefinitionData) -> DRBDResourceDefinitionLayerDTO {
        var dto = DRBDResourceDefinitionLayerDTO()
        dto.peerSlots = drbd.peerSlots
        dto.alStripes = drbd.alStripes
        dto.alStripeSizeKiB = drbd.alStripeSizeKiB
        // Ports are per node since LINSTOR 1.32; the definition keeps -1 for old clients.
        dto.port = drbd.preferredPort ?? -1
        dto.transportType = drbd.transportType
        dto.secret = drbd.secret
        dto.down = false
        return dto
    }

    static func volumeDefinition(_ volume: VolumeDefinition, of definition: ResourceDefinition) -> VolumeDefinitionDTO {
        var dto = VolumeDefinitionDTO()
        dto.volumeNumber = volume.number
        dto.sizeKiB = volume.sizeKiB
        dto.props = volume.props.nonEmpty
        dto.flags = volume.flags.sorted().nonEmpty
        dto.layerData = definition.layerStack.map { kind in
            var layer = VolumeDefinitionLayerDTO()
            layer.type = kind.rawValue
            if kind == .drbd, let minor = volume.drbdMinor {
                var data = DRBDVolumeDefinitionDTO()
                data.volumeNumber = volume.number
                data.minorNumber = minor
                layer.data = data
            }
            return layer
        }
        dto.uuid = volume.uuid
        return dto
    }

    /// A resource with its volumes and layer tree; sizes are what each layer must provide.
    static func resource(_ resource: Resource, definition: ResourceDefinition, pools: (String) -> StoragePool?) -> ResourceDTO {
        let volumes = definition.volumeDefinitions.keys.sorted().compactMap { number -> (VolumeDefinition, Volume)? in
            guard let definitionVolume = definition.volumeDefinitions[number], let volume = resource.volumes[number] else { return nil }
            return (definitionVolume, volume)
        }
        let sizes = volumes.map { LayerSizes(resource: resource, definition: definition, volume: $0.0) }
        var dto = ResourceDTO()
        dto.name = definition.name
        dto.nodeName = resource.nodeName
        dto.props = resource.props.nonEmpty
        dto.flags = resource.flags.sorted().nonEmpty
        dto.layerObject = self.layer(at: 0, resource: resource, definition: definition, volumes: volumes, sizes: sizes)
        dto.uuid = resource.uuid
        dto.createTimestamp = resource.createTimestamp
        dto.volumes =
            zip(volumes, sizes).map { pair, size in
                let (definitionVolume, volume) = pair
                var dtoVolume = VolumeDTO()
                dtoVolume.volumeNumber = volume.number
                dtoVolume.storagePoolName = volume.storagePoolName
                dtoVolume.providerKind = pools(volume.storagePoolName)?.providerKind.rawValue ?? ProviderKind.diskless.rawValue
                if resource.layerStack.first == .drbd, let minor = definitionVolume.drbdMinor {
                    dtoVolume.devicePath = "/dev/drbd\(minor)"
                }
                dtoVolume.usableSizeKiB = definitionVolume.sizeKiB
                dtoVolume.props = volume.props.nonEmpty
                dtoVolume.flags = volume.flags.sorted().nonEmpty
                dtoVolume.layerDataList = resource.layerStack.map { kind in
                    var layer = VolumeLayerDTO()
                    layer.type = kind.rawValue
                    switch kind {
                    case .drbd: layer.data = .drbd(self.drbdVolume(resource, definitionVolume, size))
                    case .luks: layer.data = .luks(self.luksVolume(definitionVolume, size))
                    case .storage: layer.data = .storage(self.storageVolume(definitionVolume, size))
                    }
                    return layer
                }
                dtoVolume.uuid = volume.uuid
                return dtoVolume
            }.nonEmpty
        return dto
    }

    private static func layer(
        at index: Int,
        resource: Resource,
        definition: ResourceDefinition,
        volumes: [(VolumeDefinition, Volume)],
        sizes: [LayerSizes]
    ) -> ResourceLayerDTO? {
        guard index < resource.layerStack.count else { return nil }
        let kind = resource.layerStack[index]
        var dto = ResourceLayerDTO()
        dto.type = kind.rawValue
        if let child = self.layer(at: index + 1, resource: resource, definition: definition, volumes: volumes, sizes: sizes) {
            dto.children = [child]
        }
        switch kind {
        case .drbd:
            var drbd = DRBDResourceDTO()
            drbd.drbdResourceDefinition = definition.drbd.map(self.drbdDefinitionLayer)
            drbd.nodeID = resource.drbd?.nodeID
            drbd.tcpPorts = resource.drbd?.tcpPorts.nonEmpty
            drbd.peerSlots = resource.drbd?.peerSlots
            drbd.alStripes = resource.drbd?.alStripes
            drbd.alSize = resource.drbd?.alSizeKiB
            drbd.flags = resource.isDiskless ? ["DISKLESS"] : nil
            drbd.drbdVolumes = zip(volumes, sizes).map { self.drbdVolume(resource, $0.0, $1) }.nonEmpty
            dto.drbd = drbd
        case .luks:
            var luks = LUKSResourceDTO()
            luks.luksVolumes = zip(volumes, sizes).map { self.luksVolume($0.0, $1) }.nonEmpty
            dto.luks = luks
        case .storage:
            var storage = StorageResourceDTO()
            storage.storageVolumes = zip(volumes, sizes).map { self.storageVolume($0.0, $1) }.nonEmpty
            dto.storage = storage
        }
        return dto
    }

    private static func drbdVolume(_ resource: Resource, _ volume: VolumeDefinition, _ size: LayerSizes) -> DRBDVolumeDTO {
        var dto = DRBDVolumeDTO()
        var definitionData = DRBDVolumeDefinitionDTO()
        definitionData.volumeNumber = volume.number
        definitionData.minorNumber = volume.drbdMinor
        dto.drbdVolumeDefinition = definitionData
        dto.devicePath = volume.drbdMinor.map { "/dev/drbd\($0)" }
        dto.metaDisk = resource.isDiskless ? nil : "internal"
        dto.usableSizeKiB = volume.sizeKiB
        dto.allocatedSizeKiB = resource.isDiskless ? nil : size.drbdGrossKiB
        return dto
    }

    private static func luksVolume(_ volume: VolumeDefinition, _ size: LayerSizes) -> LUKSVolumeDTO {
        var dto = LUKSVolumeDTO()
        dto.volumeNumber = volume.number
        dto.usableSizeKiB = size.luksNetKiB
        dto.allocatedSizeKiB = size.luksGrossKiB
        dto.opened = false
        return dto
    }

    private static func storageVolume(_ volume: VolumeDefinition, _ size: LayerSizes) -> StorageVolumeDTO {
        var dto = StorageVolumeDTO()
        dto.volumeNumber = volume.number
        dto.usableSizeKiB = size.storageKiB
        return dto
    }
}
