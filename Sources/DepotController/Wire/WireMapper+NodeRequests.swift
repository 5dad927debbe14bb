import DepotModel
import DepotWire

/// LINSTOR's request bodies for nodes, their interfaces and storage pools, read into the model's requests.
extension WireMapper {
    static func newNode(_ dto: NodeDTO) -> NewNode {
        NewNode(name: dto.name, type: dto.type, props: dto.props ?? [:], netInterfaces: (dto.netInterfaces ?? []).map(self.netInterfaceSettings), uuid: dto.uuid)
    }

    static func nodeModification(_ dto: NodeModifyDTO) -> NodeModification {
        NodeModification(type: dto.nodeType, props: self.propertyChange(dto.overrideProps, dto.deleteProps, dto.deleteNamespaces))
    }

    static func netInterfaceSettings(_ dto: NetInterfaceDTO) -> NetInterfaceSettings {
        NetInterfaceSettings(
            name: dto.name, address: dto.address, satellitePort: dto.satellitePort, encryptionType: dto.satelliteEncryptionType,
            isActive: dto.isActive == true, uuid: dto.uuid)
    }

    static func nodeEvacuation(_ dto: NodeEvacuateDTO?) -> NodeEvacuation {
        NodeEvacuation(targets: dto?.target ?? [], excluded: dto?.doNotTarget ?? [])
    }

    static func newStoragePool(_ dto: StoragePoolDTO) -> NewStoragePool {
        NewStoragePool(
            name: dto.storagePoolName, providerKind: dto.providerKind, props: dto.props ?? [:],
            freeSpaceManagerName: dto.freeSpaceMgrName ?? dto.sharedSpace, externalLocking: dto.externalLocking ?? false, uuid: dto.uuid)
    }

    static func newStoragePoolDefinition(_ dto: StoragePoolDefinitionDTO) -> NewStoragePoolDefinition {
        NewStoragePoolDefinition(name: dto.storagePoolName, props: dto.props ?? [:], uuid: dto.uuid)
    }
}
