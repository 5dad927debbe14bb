import DepotModel
import DepotWire
import HashTreeCollections

/// Turns model values into LINSTOR's wire shapes; empty fields become nil so they are omitted.
enum WireMapper {}

extension WireMapper {
    static func node(_ node: Node, connectionStatus: String) -> NodeDTO {
        var dto = NodeDTO()
        dto.name = node.name
        dto.type = node.type.rawValue
        dto.flags = node.flags.sorted().nonEmpty
        dto.props = node.props.nonEmpty
        dto.netInterfaces = node.netInterfaces.map { self.netInterface($0, of: node) }.nonEmpty
        dto.connectionStatus = connectionStatus
        dto.uuid = node.uuid
        return dto
    }

    static func netInterface(_ interface: NetInterface, of node: Node) -> NetInterfaceDTO {
        var dto = NetInterfaceDTO()
        dto.name = interface.name
        dto.address = interface.address
        dto.satellitePort = interface.satellitePort
        dto.satelliteEncryptionType = interface.encryptionType?.rawValue
        dto.isActive = node.activeSatelliteInterface.map { ObjectKey($0) == ObjectKey(interface.name) } ?? false
        dto.uuid = interface.uuid
        return dto
    }

    static func storagePool(_ pool: StoragePool) -> StoragePoolDTO {
        var dto = StoragePoolDTO()
        dto.storagePoolName = pool.name
        dto.nodeName = pool.nodeName
        dto.providerKind = pool.providerKind.rawValue
        dto.props = pool.props.nonEmpty
        dto.staticTraits = pool.providerKind.staticTraits.nonEmpty
        dto.freeSpaceMgrName = pool.freeSpaceManagerName
        dto.uuid = pool.uuid
        dto.supportsSnapshots = pool.providerKind.supportsSnapshots
        dto.externalLocking = pool.externalLocking
        if pool.providerKind == .diskless {
            // LINSTOR reports diskless pools as infinitely large.
            dto.freeCapacity = Int64.max
            dto.totalCapacity = Int64.max
        }
        if pool.isShared { dto.sharedSpace = pool.freeSpaceManagerName }
        return dto
    }

    static func storagePoolDefinition(_ definition: StoragePoolDefinition) -> StoragePoolDefinitionDTO {
        var dto = StoragePoolDefinitionDTO()
        dto.storagePoolName = definition.name
        dto.props = definition.props.nonEmpty
        dto.uuid = definition.uuid
        return dto
    }

    static func resourceGroup(_ group: ResourceGroup) -> ResourceGroupDTO {
        var dto = ResourceGroupDTO()
        dto.name = group.name
        dto.description = group.description.flatMap { $0.isEmpty ? nil : $0 }
        dto.props = group.props.nonEmpty
        dto.selectFilter = self.selectFilter(group.selectFilter)
        dto.uuid = group.uuid
        dto.peerSlots = group.peerSlots
        return dto
    }

    static func volumeGroup(_ group: VolumeGroup) -> VolumeGroupDTO {
        var dto = VolumeGroupDTO()
        dto.volumeNumber = group.number
        dto.props = group.props.nonEmpty
        dto.uuid = group.uuid
        dto.flags = group.flags.sorted().nonEmpty
        return dto
    }

    static func selectFilter(_ filter: AutoSelectFilter) -> AutoSelectFilterDTO {
        var dto = AutoSelectFilterDTO()
        dto.placeCount = filter.placeCount
        dto.additionalPlaceCount = filter.additionalPlaceCount
        dto.nodeNameList = filter.nodeNameList?.nonEmpty
        // LINSTOR keeps one pool list and shows a single pool in both fields (clients read either).
        let pools = filter.storagePoolList?.nonEmpty ?? filter.storagePool.map { [$0] }
        dto.storagePoolList = pools
        dto.storagePool = pools?.count == 1 ? pools?.first : nil
        dto.storagePoolDisklessList = filter.storagePoolDisklessList?.nonEmpty
        dto.notPlaceWithRsc = filter.notPlaceWithResource?.nonEmpty
        dto.notPlaceWithRscRegex = filter.notPlaceWithResourceRegex
        dto.replicasOnSame = filter.replicasOnSame?.nonEmpty
        dto.replicasOnDifferent = filter.replicasOnDifferent?.nonEmpty
        dto.xReplicasOnDifferentMap = filter.xReplicasOnDifferentMap?.nonEmpty
        dto.layerStack = filter.layerStack?.nonEmpty
        dto.providerList = filter.providerList?.nonEmpty
        dto.disklessOnRemaining = filter.disklessOnRemaining
        dto.disklessType = filter.disklessType
        dto.overprovision = filter.overprovision
        return dto
    }

    /// Reads a filter from a request; absent fields stay `nil`.
    static func selectFilter(_ dto: AutoSelectFilterDTO) -> AutoSelectFilter {
        var filter = AutoSelectFilter()
        filter.placeCount = dto.placeCount
        filter.additionalPlaceCount = dto.additionalPlaceCount
        filter.nodeNameList = dto.nodeNameList
        // `storage_pool` counts only without a list, as in LINSTOR; the model keeps the list alone.
        if let list = dto.storagePoolList, !list.isEmpty || dto.storagePool == nil {
            filter.storagePoolList = list
        } else {
            filter.storagePoolList = dto.storagePool.map { [$0] }
        }
        filter.storagePoolDisklessList = dto.storagePoolDisklessList
        filter.notPlaceWithResource = dto.notPlaceWithRsc
        filter.notPlaceWithResourceRegex = dto.notPlaceWithRscRegex
        filter.replicasOnSame = dto.replicasOnSame
        filter.replicasOnDifferent = dto.replicasOnDifferent
        filter.xReplicasOnDifferentMap = dto.xReplicasOnDifferentMap
        filter.layerStack = dto.layerStack
        filter.providerList = dto.providerList
        filter.disklessOnRemaining = dto.disklessOnRemaining
        filter.disklessType = dto.disklessType
        filter.overprovision = dto.overprovision
        return filter
    }
}
