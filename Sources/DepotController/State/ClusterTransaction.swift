import DepotModel
import DepotStore
import DepotWire
import HashTreeCollections

/// A working copy of the model that records what it changed.
///
/// Operations validate and change the copy; the ``ClusterState`` actor then writes ``changes`` in one
/// database transaction and publishes ``model`` only if that commit succeeded. A failed operation
/// throws and its copy is dropped, so bad input changes nothing.
struct ClusterTransaction {
    private(set) var model: ClusterModel
    private(set) var changes: [StoreChange] = []
    /// Objects whose cached JSON must be rebuilt.
    private(set) var dirtyResources: Set<ResourceKey> = []
    private(set) var dirtyDefinitions: Set<ObjectKey> = []
    /// Nodes whose satellites must be told their new desired state.
    private(set) var affectedNodes: Set<ObjectKey> = []
    /// The model changed where the database has no part (the master key was opened): publish it
    /// even without rows to write.
    private(set) var publishesWithoutChanges = false
    /// Milliseconds since the epoch at the start of the operation.
    let now: Int64
    /// What each node's satellite said it supports; nil for nodes that have not reported yet.
    let capabilities: @Sendable (ObjectKey) -> NodeCapabilitiesDTO?
    /// Whether a node's satellite is connected now (deletes wait for connected satellites to clean up).
    let isOnline: @Sendable (ObjectKey) -> Bool
    /// A pool's last reported capacity, keyed (node, pool); the autoplacer decides on it.
    let poolReport: @Sendable (StoragePoolKey) -> StoragePoolReport?
    /// What a replica's satellite last reported of it (kernel state included); nil while its node
    /// is unreachable or never reported it.
    let observed: @Sendable (ResourceKey) -> ResourceReport?

    init(
        model: ClusterModel, now: Int64, capabilities: @escaping @Sendable (ObjectKey) -> NodeCapabilitiesDTO? = { _ in nil },
        isOnline: @escaping @Sendable (ObjectKey) -> Bool = { _ in false },
        poolReport: @escaping @Sendable (StoragePoolKey) -> StoragePoolReport? = { _ in nil },
        observed: @escaping @Sendable (ResourceKey) -> ResourceReport? = { _ in nil }
    ) {
        self.model = model
        self.now = now
        self.capabilities = capabilities
        self.isOnline = isOnline
        self.poolReport = poolReport
        self.observed = observed
    }

    /// Takes a resource off its node: at once when the node's satellite is not connected (it removes
    /// the volumes when it returns), otherwise marked DELETE until the satellite reports them gone.
    ///
    /// A DRBD replica always waits for its node: its peers keep a connection to it, and its minor and
    /// ports must not be reused while the node may still have them configured.
    mutating func retire(_ resource: Resource) -> Bool {
        guard self.isOnline(resource.key.node) || resource.drbd != nil else {
            self.removeResource(resource.key)
            return true
        }
        var flagged = resource
        flagged.flags.insert(ResourceFlag.delete)
        self.put(flagged)
        return false
    }

    /// Refuses a layer or provider the node's satellite reported it cannot do, with the satellite's reason.
    func requireSupport(on node: Node, layers: [LayerKind], provider: ProviderKind?) throws(DepotError) {
        guard let reported = self.capabilities(node.key) else { return }
        for layer in layers where !reported.resourceLayers.contains(layer.rawValue) {
            let reasons = reported.unsupportedLayers[layer.rawValue] ?? ["the satellite does not report it"]
            throw DepotError(
                .failLayerNotSupported, "Node '\(node.name)' does not support the \(layer.rawValue) layer.",
                cause: reasons.joined(separator: "; "),
                correction: "Install what is missing on the node, or place the resource elsewhere.", objectReferences: ["Node": node.name])
        }
        if let provider, !reported.storageProviders.contains(provider.rawValue) {
            let reasons = reported.unsupportedProviders[provider.rawValue] ?? ["the satellite does not report it"]
            throw DepotError(
                .failStorageDriverNotSupported, "Node '\(node.name)' does not support \(provider.rawValue) storage pools.",
                cause: reasons.joined(separator: "; "),
                correction: "Install what is missing on the node, or use another provider.", objectReferences: ["Node": node.name])
        }
    }

    var isEmpty: Bool { self.changes.isEmpty && !self.publishesWithoutChanges }

    /// Runs `steps` on a copy that replaces this transaction only when all of them succeeded, for
    /// operations that go on after one of their parts failed (evacuation) or that make several
    /// objects the caller must never see half made (spawn).
    mutating func allOrNothing<Result>(_ steps: (inout ClusterTransaction) throws(DepotError) -> Result) throws(DepotError) -> Result {
        var scratch = self
        let result = try steps(&scratch)
        self = scratch
        return result
    }

    mutating func setControllerProps(_ props: [String: String]) {
        let old = self.model.controllerProps
        for key in old.keys where props[key] == nil { self.changes.append(.remove(ControllerProperty.self, key: key)) }
        for (key, value) in props where old[key] != value { self.changes.append(.put(ControllerProperty(key: key, value: value))) }
        self.model.controllerProps = props
        self.affectedNodes.formUnion(self.model.nodes.keys)
    }

    /// A controller property only the controller reads (token authentication, HTTPS): no
    /// satellite is told, as in LINSTOR.
    mutating func setControllerOwnProperty(_ key: String, _ value: String) {
        guard self.model.controllerProps[key] != value else { return }
        self.model.controllerProps[key] = value
        self.changes.append(.put(ControllerProperty(key: key, value: value)))
    }

    mutating func put(_ node: Node) {
        self.write(node, to: \.nodes)
        self.affectedNodes.insert(node.key)
    }

    mutating func removeNode(_ key: ObjectKey) {
        for connection in self.model.nodeConnections.keys where connection.contains(key) { self.removeNodeConnection(connection) }
        self.remove(key, from: \.nodes)
        self.model.usedPortsByNode[key] = nil
    }

    mutating func put(_ definition: StoragePoolDefinition) {
        self.write(definition, to: \.storagePoolDefinitions)
    }

    mutating func removeStoragePoolDefinition(_ key: ObjectKey) {
        self.remove(key, from: \.storagePoolDefinitions)
    }

    mutating func put(_ pool: StoragePool) {
        self.write(pool, to: \.storagePools)
        self.affectedNodes.insert(pool.key.node)
    }

    mutating func removeStoragePool(_ key: StoragePoolKey) {
        self.remove(key, from: \.storagePools)
        self.affectedNodes.insert(key.node)
    }

    mutating func put(_ group: ResourceGroup) {
        self.write(group, to: \.resourceGroups)
    }

    mutating func removeResourceGroup(_ key: ObjectKey) {
        self.remove(key, from: \.resourceGroups)
    }

    /// Stores a definition; its resources' JSON embeds definition data, so they are rebuilt too.
    mutating func put(_ definition: ResourceDefinition) {
        let key = definition.key
        // Only the minors that changed: a definition's other changes leave the index alone.
        let before = Set(self.model.resourceDefinitions[key]?.volumeDefinitions.values.compactMap(\.drbdMinor) ?? [])
        let after = Set(definition.volumeDefinitions.values.compactMap(\.drbdMinor))
        for minor in before.subtracting(after) { self.model.usedMinors.remove(minor) }
        for minor in after.subtracting(before) { self.model.usedMinors.insert(minor) }
        self.write(definition, to: \.resourceDefinitions)
        self.dirtyDefinitions.insert(key)
        for node in self.model.resourcesByDefinition[key] ?? [] {
            self.dirtyResources.insert(ResourceKey(resource: key, node: node))
            self.affectedNodes.insert(node)
        }
    }

    mutating func removeResourceDefinition(_ key: ObjectKey) {
        if let old = self.model.resourceDefinitions[key] {
            for volume in old.volumeDefinitions.values { if let minor = volume.drbdMinor { self.model.usedMinors.remove(minor) } }
        }
        self.remove(key, from: \.resourceDefinitions)
        self.dirtyDefinitions.insert(key)
    }

    mutating func put(_ resource: Resource) {
        let key = resource.key
        self.model.unindex(key)
        self.model.index(resource)
        self.changes.append(.put(resource))
        self.dirtyResources.insert(key)
        self.affectedNodes.insert(key.node)
        self.markPeersAffected(of: key.resource)
    }

    mutating func removeResource(_ key: ResourceKey) {
        for connection in self.model.resourceConnections.keys where connection.resource == key.resource && connection.nodes.contains(key.node) {
            self.removeResourceConnection(connection)
        }
        self.model.unindex(key)
        self.changes.append(.remove(Resource.self, key: key))
        self.dirtyResources.insert(key)
        self.affectedNodes.insert(key.node)
        self.markPeersAffected(of: key.resource)
    }

    /// Both nodes replicate with the new settings: their satellites rewrite the resources' files.
    mutating func put(_ connection: NodeConnection) {
        self.write(connection, to: \.nodeConnections)
        self.affectedNodes.formUnion([connection.key.low, connection.key.high])
    }

    mutating func removeNodeConnection(_ key: ConnectionKey) {
        self.remove(key, from: \.nodeConnections)
        self.affectedNodes.formUnion([key.low, key.high])
    }

    mutating func put(_ connection: ResourceConnection) {
        self.write(connection, to: \.resourceConnections)
        self.affectedNodes.formUnion([connection.key.nodes.low, connection.key.nodes.high])
    }

    mutating func removeResourceConnection(_ key: ResourceConnectionKey) {
        self.remove(key, from: \.resourceConnections)
        self.affectedNodes.formUnion([key.nodes.low, key.nodes.high])
    }

    /// The master key record; no satellite is told, it never leaves the controller.
    mutating func put(_ record: MasterKeyRecord) {
        self.write(record, to: \.masterKeys)
    }

    /// A REST bearer token; only the controller checks tokens, so no satellite is told.
    mutating func put(_ token: AuthToken) {
        self.write(token, to: \.authTokens)
    }

    /// Holds the master key open: every node with an encrypted volume gets its passphrases now.
    mutating func unlock(_ key: UnlockedMasterKey) {
        self.model.unlockedMasterKey = key
        self.publishesWithoutChanges = true
        for resource in self.model.resources.values where resource.layerStack.contains(.luks) {
            self.affectedNodes.insert(resource.key.node)
        }
    }

    /// Key-value stores are the clients' own data: no satellite is told about them.
    mutating func put(_ store: KeyValueStore) {
        self.write(store, to: \.keyValueStores)
    }

    mutating func removeKeyValueStore(_ key: ObjectKey) {
        self.remove(key, from: \.keyValueStores)
    }

    /// A snapshot's nodes, those it had and those it has (and, while it is being taken, every node
    /// of its definition) learn of it.
    mutating func put(_ snapshot: SnapshotDefinition) {
        if let old = self.model.snapshots[snapshot.key] { self.affectedNodes.formUnion(old.nodes.keys.map(ObjectKey.init)) }
        self.model.index(snapshot)
        self.changes.append(.put(snapshot))
        self.affectedNodes.formUnion(snapshot.nodes.keys.map(ObjectKey.init))
        if snapshot.phase != nil { self.markPeersAffected(of: snapshot.key.resource) }
    }

    mutating func removeSnapshot(_ key: SnapshotKey) {
        if let old = self.model.snapshots[key] { self.affectedNodes.formUnion(old.nodes.keys.map(ObjectKey.init)) }
        self.model.unindexSnapshot(key)
        self.changes.append(.remove(SnapshotDefinition.self, key: key))
    }

    /// Stores `object` in the working model and records the row for the commit.
    private mutating func write<Object: StoredObject>(_ object: Object, to table: WritableKeyPath<ClusterModel, ObjectTable<Object>>) {
        self.model[keyPath: table][object.key] = object
        self.changes.append(.put(object))
    }

    /// Removes an object from the working model and records the removal for the commit.
    private mutating func remove<Object: StoredObject>(_ key: Object.Key, from table: WritableKeyPath<ClusterModel, ObjectTable<Object>>) {
        self.model[keyPath: table][key] = nil
        self.changes.append(.remove(Object.self, key: key))
    }

    /// DRBD peers must learn about a replica that appears or goes.
    private mutating func markPeersAffected(of definition: ObjectKey) {
        for node in self.model.resourcesByDefinition[definition] ?? [] { self.affectedNodes.insert(node) }
    }
}
