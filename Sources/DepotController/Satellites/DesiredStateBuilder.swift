import DepotModel
import DepotWire
import HashTreeCollections

/// Computes what one node must look like from the cluster model.
enum DesiredStateBuilder {
    static func state(for nodeKey: ObjectKey, in snapshot: ClusterSnapshot) -> DesiredNodeState? {
        let model = snapshot.model
        guard let node = model.nodes[nodeKey] else { return nil }
        let pools = model.storagePools.values
            .filter { $0.key.first == nodeKey }
            .sorted { $0.key.second < $1.key.second }
            .map { pool in
                DesiredStoragePool(
                    name: pool.name, providerKind: pool.providerKind.rawValue, backingName: pool.props["StorDriver/StorPoolName"],
                    props: pool.props)
            }
        let resources = model.resources(onNode: nodeKey).compactMap { resource -> DesiredResource? in
            guard !resource.flags.contains(ResourceFlag.delete), let definition = model.resourceDefinitions[ObjectKey(resource.resourceName)] else { return nil }
            let volumes = definition.volumeDefinitions.keys.sorted().compactMap { number -> DesiredVolume? in
                guard let volumeDefinition = definition.volumeDefinitions[number], let volume = resource.volumes[number] else { return nil }
                let sizes = LayerSizes(resource: resource, definition: definition, volume: volumeDefinition)
                return DesiredVolume(
                    number: number, storagePool: volume.storagePoolName, sizeKiB: volumeDefinition.sizeKiB, storageSizeKiB: sizes.storageKiB)
            }
            return DesiredResource(
                name: definition.name, layers: resource.layerStack.map(\.rawValue), flags: resource.flags.sorted(), volumes: volumes)
        }
        return DesiredNodeState(version: snapshot.version, nodeName: node.name, storagePools: pools, resources: resources)
    }
}
