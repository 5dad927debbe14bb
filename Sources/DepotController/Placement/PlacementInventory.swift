import DepotModel
import DepotWire
import HashTreeCollections

/// The cluster as the autoplacer sees it: every node with its pools, their last reported capacity,
/// what they already hold, and the definition's own replicas.
struct PlacementInventory {
    let model: ClusterModel
    let isOnline: (ObjectKey) -> Bool
    let capabilities: (ObjectKey) -> NodeCapabilitiesDTO?
    let poolReport: (StoragePoolKey) -> StoragePoolReport?

    init(_ transaction: ClusterTransaction) {
        self.model = transaction.model
        self.isOnline = transaction.isOnline
        self.capabilities = transaction.capabilities
        self.poolReport = transaction.poolReport
    }

    init(
        model: ClusterModel, isOnline: @escaping (ObjectKey) -> Bool, capabilities: @escaping (ObjectKey) -> NodeCapabilitiesDTO?,
        poolReport: @escaping (StoragePoolKey) -> StoragePoolReport?
    ) {
        self.model = model
        self.isOnline = isOnline
        self.capabilities = capabilities
        self.poolReport = poolReport
    }

    /// - Parameter definition: the definition being placed; `nil` for a hypothetical new one.
    func nodes(for definition: ObjectKey?) -> [PlacementNode] {
        let poolsByNode = Dictionary(grouping: self.model.storagePools.values, by: \.key.node)
        return self.model.nodes.values.map { node in
            let reported = self.capabilities(node.key)
            var reserved: [ObjectKey: Int64] = [:]
            var resourceCounts: [ObjectKey: Int] = [:]
            var names: [String] = []
            var replica = PlacementNode.Replica.none
            var replicaProvider: ProviderKind?
            for resource in self.model.resources(onNode: node.key) {
                if resource.flags.contains(ResourceFlag.delete) {
                    if let definition, resource.key.resource == definition { replica = .deleting }
                    continue
                }
                names.append(resource.resourceName)
                if let definition, resource.key.resource == definition {
                    replica = resource.isDiskless ? .diskless : .diskful
                    if !resource.isDiskless, let pool = resource.volumes.values.first?.storagePoolName {
                        replicaProvider = self.model.storagePools[StoragePoolKey(node: node.key, pool: ObjectKey(pool))]?.providerKind
                    }
                }
                let volumeDefinitions = self.model.resourceDefinitions[resource.key.resource]?.volumeDefinitions ?? [:]
                var pools: Set<ObjectKey> = []
                for volume in resource.volumes.values {
                    let pool = ObjectKey(volume.storagePoolName)
                    reserved[pool, default: 0] += volumeDefinitions[volume.number]?.sizeKiB ?? 0
                    pools.insert(pool)
                }
                for pool in pools { resourceCounts[pool, default: 0] += 1 }
            }
            let pools = (poolsByNode[node.key] ?? []).map { pool in
                let report = self.poolReport(pool.key)
                let definitionProps = self.model.storagePoolDefinitions[pool.key.pool]?.props ?? [:]
                return PlacementPool(
                    name: pool.name, kind: pool.providerKind, props: definitionProps.merging(pool.props) { _, own in own },
                    freeKiB: report?.failure == nil ? report?.freeKiB : nil, totalKiB: report?.failure == nil ? report?.totalKiB : nil,
                    reservedKiB: reserved[pool.key.pool] ?? 0, resourceCount: resourceCounts[pool.key.pool] ?? 0)
            }
            return PlacementNode(
                name: node.name, type: node.type, props: node.props, flags: node.flags, isOnline: self.isOnline(node.key),
                layers: reported.map { Set($0.resourceLayers) }, providers: reported.map { Set($0.storageProviders) }, pools: pools,
                resourceNames: names, replica: replica, replicaProvider: replicaProvider)
        }
    }
}
