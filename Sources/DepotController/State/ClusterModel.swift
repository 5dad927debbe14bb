import DepotModel
import DepotStore
import HashTreeCollections

/// The controller's whole desired state as one value.
///
/// Persistent hash tries keep copies cheap: a mutation copies the model, changes a few paths and
/// publishes the result, while readers keep using the previous value untouched.
struct ClusterModel: Sendable {
    var controllerProps: [String: String] = [:]
    var nodes = ObjectTable<Node>()
    var storagePoolDefinitions = ObjectTable<StoragePoolDefinition>()
    var storagePools = ObjectTable<StoragePool>()
    var resourceGroups = ObjectTable<ResourceGroup>()
    var resourceDefinitions = ObjectTable<ResourceDefinition>()
    var resources = ObjectTable<Resource>()
    var nodeConnections = ObjectTable<NodeConnection>()
    var resourceConnections = ObjectTable<ResourceConnection>()
    var keyValueStores = ObjectTable<KeyValueStore>()
    var snapshots = ObjectTable<SnapshotDefinition>()
    var masterKeys = ObjectTable<MasterKeyRecord>()
    /// REST bearer tokens, revoked ones included (their numbers are never reused).
    var authTokens = ObjectTable<AuthToken>()
    /// The master key while the controller holds it open (the passphrase was entered); never stored.
    var unlockedMasterKey: UnlockedMasterKey?
    /// Rows left out at start because they do not decode or contradict the rest; never stored.
    var quarantine = StartupQuarantine()

    /// Where the model keeps each stored kind (controller properties aside, which it keeps as one
    /// dictionary): a new kind gets a table above and an entry here.
    static var tables: [any ModelTable] {
        [
            Table(\.nodes), Table(\.storagePoolDefinitions), Table(\.storagePools), Table(\.resourceGroups),
            Table(\.resourceDefinitions), Table(\.resources), Table(\.nodeConnections), Table(\.resourceConnections),
            Table(\.keyValueStores), Table(\.snapshots), Table(\.masterKeys), Table(\.authTokens),
        ]
    }

    /// Derived indices, rebuilt on load and kept current by ``ClusterTransaction``.
    var resourcesByDefinition: TreeDictionary<ObjectKey, Set<ObjectKey>> = [:]
    var resourcesByNode: TreeDictionary<ObjectKey, Set<ObjectKey>> = [:]
    var usedMinors = UsedMinors()
    var usedPortsByNode: TreeDictionary<ObjectKey, Set<Int>> = [:]
    /// Snapshots by node and by definition, and those being taken: a node's desired state and each
    /// satellite report look theirs up without walking every snapshot of the cluster.
    var snapshotsByNode: TreeDictionary<ObjectKey, Set<SnapshotKey>> = [:]
    var snapshotsByDefinition: TreeDictionary<ObjectKey, Set<SnapshotKey>> = [:]
    var snapshotsInProgress: Set<SnapshotKey> = []

    init() {}

    init(stored: StoredCluster) {
        for property in stored[ControllerProperty.self] { self.controllerProps[property.key] = property.value }
        for table in Self.tables { table.load(stored, into: &self) }
        for definition in self.resourceDefinitions.values {
            for volume in definition.volumeDefinitions.values {
                if let minor = volume.drbdMinor { self.usedMinors.insert(minor) }
            }
        }
        for resource in self.resources.values { self.addDerivedEntries(of: resource) }
        for snapshot in self.snapshots.values { self.addDerivedEntries(of: snapshot) }
    }

    /// Adds or replaces a snapshot and its derived entries.
    mutating func index(_ snapshot: SnapshotDefinition) {
        self.unindexSnapshot(snapshot.key)
        self.snapshots[snapshot.key] = snapshot
        self.addDerivedEntries(of: snapshot)
    }

    /// Removes a snapshot and its derived entries.
    mutating func unindexSnapshot(_ key: SnapshotKey) {
        guard let snapshot = self.snapshots.removeValue(forKey: key) else { return }
        for node in snapshot.nodes.keys.map(ObjectKey.init) {
            self.snapshotsByNode[node]?.remove(key)
            if self.snapshotsByNode[node]?.isEmpty == true { self.snapshotsByNode[node] = nil }
        }
        self.snapshotsByDefinition[key.resource]?.remove(key)
        if self.snapshotsByDefinition[key.resource]?.isEmpty == true { self.snapshotsByDefinition[key.resource] = nil }
        self.snapshotsInProgress.remove(key)
    }

    private mutating func addDerivedEntries(of snapshot: SnapshotDefinition) {
        for node in snapshot.nodes.keys.map(ObjectKey.init) { self.snapshotsByNode[node, default: []].insert(snapshot.key) }
        self.snapshotsByDefinition[snapshot.key.resource, default: []].insert(snapshot.key)
        if snapshot.phase != nil { self.snapshotsInProgress.insert(snapshot.key) }
    }

    /// Adds a resource and its derived entries.
    mutating func index(_ resource: Resource) {
        self.resources[resource.key] = resource
        self.addDerivedEntries(of: resource)
    }

    private mutating func addDerivedEntries(of resource: Resource) {
        let key = resource.key
        self.resourcesByDefinition[key.resource, default: []].insert(key.node)
        self.resourcesByNode[key.node, default: []].insert(key.resource)
        if let drbd = resource.drbd {
            self.usedPortsByNode[key.node, default: []].formUnion(drbd.tcpPorts)
        }
    }

    /// Removes a resource and its derived entries.
    mutating func unindex(_ key: ResourceKey) {
        guard let resource = self.resources.removeValue(forKey: key) else { return }
        self.resourcesByDefinition[key.resource]?.remove(key.node)
        if self.resourcesByDefinition[key.resource]?.isEmpty == true { self.resourcesByDefinition[key.resource] = nil }
        self.resourcesByNode[key.node]?.remove(key.resource)
        if self.resourcesByNode[key.node]?.isEmpty == true { self.resourcesByNode[key.node] = nil }
        if let drbd = resource.drbd {
            self.usedPortsByNode[key.node]?.subtract(drbd.tcpPorts)
        }
    }

    func resources(ofDefinition key: ObjectKey) -> [Resource] {
        (self.resourcesByDefinition[key] ?? []).sorted().compactMap { self.resources[ResourceKey(resource: key, node: $0)] }
    }

    /// The definition's DRBD replicas that take part: neither being deleted nor deactivated (a
    /// deactivated replica counts for neither quorum nor tie-breaking, as in LINSTOR).
    func activeDRBDReplicas(ofDefinition key: ObjectKey) -> [Resource] {
        self.resources(ofDefinition: key).filter {
            $0.drbd != nil && !$0.flags.contains(ResourceFlag.delete) && !$0.flags.contains(ResourceFlag.inactive)
        }
    }

    func resources(onNode key: ObjectKey) -> [Resource] {
        (self.resourcesByNode[key] ?? []).sorted().compactMap { self.resources[ResourceKey(resource: $0, node: key)] }
    }
}
