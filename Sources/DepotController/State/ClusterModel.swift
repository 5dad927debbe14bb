import DepotModel
import DepotStore
import HashTreeCollections

/// The controller's whole desired state as one value.
///
/// Persistent hash tries keep copies cheap: a mutation copies the model, changes a few paths and
/// publishes the result, while readers keep using the previous value untouched.
struct ClusterModel: Sendable {
    var controllerProps: [String: String] = [:]
    var nodes: TreeDictionary<ObjectKey, Node> = [:]
    var storagePoolDefinitions: TreeDictionary<ObjectKey, StoragePoolDefinition> = [:]
    var storagePools: TreeDictionary<PairKey, StoragePool> = [:]
    var resourceGroups: TreeDictionary<ObjectKey, ResourceGroup> = [:]
    var resourceDefinitions: TreeDictionary<ObjectKey, ResourceDefinition> = [:]
    var resources: TreeDictionary<PairKey, Resource> = [:]
    var nodeConnections: TreeDictionary<ConnectionKey, NodeConnection> = [:]
    var resourceConnections: TreeDictionary<ResourceConnectionKey, ResourceConnection> = [:]

    /// Derived indices, rebuilt on load and kept current by ``ClusterTransaction``.
    var resourcesByDefinition: TreeDictionary<ObjectKey, Set<ObjectKey>> = [:]
    var resourcesByNode: TreeDictionary<ObjectKey, Set<ObjectKey>> = [:]
    var usedMinors: Set<Int> = []
    var usedPortsByNode: TreeDictionary<ObjectKey, Set<Int>> = [:]

    init() {}

    init(stored: StoredCluster) {
        self.controllerProps = stored.controllerProps
        for node in stored.nodes { self.nodes[node.key] = node }
        for definition in stored.storagePoolDefinitions { self.storagePoolDefinitions[ObjectKey(definition.name)] = definition }
        for pool in stored.storagePools { self.storagePools[pool.key] = pool }
        for group in stored.resourceGroups { self.resourceGroups[group.key] = group }
        for definition in stored.resourceDefinitions {
            self.resourceDefinitions[definition.key] = definition
            for volume in definition.volumeDefinitions.values {
                if let minor = volume.drbdMinor { self.usedMinors.insert(minor) }
            }
        }
        for resource in stored.resources { self.index(resource) }
        for connection in stored.nodeConnections { self.nodeConnections[connection.key] = connection }
        for connection in stored.resourceConnections { self.resourceConnections[connection.key] = connection }
    }

    /// Adds a resource and its derived entries.
    mutating func index(_ resource: Resource) {
        let key = resource.key
        self.resources[key] = resource
        self.resourcesByDefinition[key.first, default: []].insert(key.second)
        self.resourcesByNode[key.second, default: []].insert(key.first)
        if let drbd = resource.drbd {
            self.usedPortsByNode[key.second, default: []].formUnion(drbd.tcpPorts)
        }
    }

    /// Removes a resource and its derived entries.
    mutating func unindex(_ key: PairKey) {
        guard let resource = self.resources.removeValue(forKey: key) else { return }
        self.resourcesByDefinition[key.first]?.remove(key.second)
        if self.resourcesByDefinition[key.first]?.isEmpty == true { self.resourcesByDefinition[key.first] = nil }
        self.resourcesByNode[key.second]?.remove(key.first)
        if self.resourcesByNode[key.second]?.isEmpty == true { self.resourcesByNode[key.second] = nil }
        if let drbd = resource.drbd {
            self.usedPortsByNode[key.second]?.subtract(drbd.tcpPorts)
        }
    }

    func resources(ofDefinition key: ObjectKey) -> [Resource] {
        (self.resourcesByDefinition[key] ?? []).sorted().compactMap { self.resources[PairKey(key, $0)] }
    }

    func resources(onNode key: ObjectKey) -> [Resource] {
        (self.resourcesByNode[key] ?? []).sorted().compactMap { self.resources[PairKey($0, key)] }
    }
}
