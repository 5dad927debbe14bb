import DepotModel
import DepotWire
import HashTreeCollections

/// Computes what one node must look like from the cluster model.
enum DesiredStateBuilder {
    /// - Parameters:
    ///   - hostname: a node's satellite host name, once it connected (for DRBD `on` sections).
    ///   - passphrases: whether the node's LUKS volumes get their passphrases.
    static func state(
        for nodeKey: ObjectKey, in snapshot: ClusterSnapshot, passphrases: PassphraseRelease = .withhold("no satellite link"),
        hostname: (ObjectKey) -> String? = { _ in nil }
    ) -> DesiredNodeState? {
        let model = snapshot.model
        guard let node = model.nodes[nodeKey] else { return nil }
        let pools = model.storagePools.values
            .filter { $0.key.node == nodeKey }
            .sorted { $0.key.pool < $1.key.pool }
            .map { pool in
                DesiredStoragePool(
                    name: pool.name, providerKind: pool.providerKind, backingName: pool.props["StorDriver/StorPoolName"],
                    props: Self.storagePoolProps(pool, model))
            }
        // Definitions whose snapshot is being taken: DRBD holds their I/O until it is.
        let holdingIO = Set(
            model.snapshotsInProgress.compactMap { model.snapshots[$0] }.filter { $0.phase == .suspending || $0.phase == .taking }.map(\.key.resource))
        let resources = model.resources(onNode: nodeKey).compactMap { resource -> DesiredResource? in
            guard !resource.flags.contains(ResourceFlag.delete), let definition = model.resourceDefinitions[ObjectKey(resource.resourceName)] else { return nil }
            let drbd = DRBDDesiredState(model: model, definition: definition, resource: resource, node: node, hostname: hostname)
            let volumes = definition.volumeDefinitions.keys.sorted().compactMap { number -> DesiredVolume? in
                guard let volumeDefinition = definition.volumeDefinitions[number], let volume = resource.volumes[number] else { return nil }
                let sizes = LayerSizes(resource: resource, definition: definition, volume: volumeDefinition)
                var desired = DesiredVolume(
                    number: number, storagePool: volume.storagePoolName, sizeKiB: volumeDefinition.sizeKiB, storageSizeKiB: sizes.storageKiB,
                    drbd: drbd?.volume(volumeDefinition, volume: volume))
                if resource.layerStack.contains(.luks), !resource.isDiskless {
                    desired.luks = passphrases.luksVolume(volumeDefinition, of: resource, in: model)
                }
                if resource.flags.contains(ResourceFlag.restoreFromSnapshot), let source = volume.props[Volume.restoreFromResourceKey],
                    let name = volume.props[Volume.restoreFromSnapshotKey]
                {
                    // The snapshot's pool on this node, where the volume is not restored beside it.
                    let held = model.snapshots[SnapshotKey(resource: ObjectKey(source), snapshot: ObjectKey(name))]?.node(node.name)?.storagePools[number]
                    desired.restore = DesiredRestore(
                        resource: source, snapshot: name, sourcePool: held.flatMap { Self.sameStorage($0, volume.storagePoolName, on: node.name, model) ? nil : $0 })
                }
                return desired
            }
            var desired = DesiredResource(
                name: definition.name, layers: resource.layerStack, flags: resource.flags.sorted(), volumes: volumes,
                drbd: drbd?.resource)
            if drbd != nil, holdingIO.contains(definition.key) {
                desired.suspendIO = true
            }
            if let rollback = definition.rollback {
                desired.rollback = DesiredRollback(snapshot: rollback.snapshot, id: rollback.id)
            }
            return desired
        }
        var state = DesiredNodeState(
            version: snapshot.version, nodeName: node.name, storagePools: pools, resources: resources, snapshots: Self.snapshots(on: node, model))
        let held = model.quarantine.heldResources(on: nodeKey)
        if !held.isEmpty { state.heldResources = held }
        return state
    }

    /// The snapshots the node keeps, and the one it takes now. A snapshot being aborted or that
    /// failed is not listed: the node deletes what it took of it.
    static func snapshots(on node: Node, _ model: ClusterModel) -> [DesiredSnapshot] {
        model.snapshots(onNode: node.key).compactMap { snapshot -> DesiredSnapshot? in
            guard let onNode = snapshot.node(node.name), snapshot.phase != .aborting, snapshot.phase != .suspending,
                snapshot.phase != nil || snapshot.isSuccessful
            else { return nil }
            let volumes = onNode.storagePools.sorted { $0.key < $1.key }.map { DesiredSnapshotVolume(number: $0.key, storagePool: $0.value) }
            return DesiredSnapshot(
                resource: snapshot.resourceName, name: snapshot.name, take: snapshot.phase == .taking, volumes: volumes, forClone: snapshot.clone != nil)
        }
    }

    /// Whether two pools of a node are one storage under two names (same kind and backing), so
    /// a snapshot in one restores in place into the other.
    static func sameStorage(_ first: String, _ second: String, on nodeName: String, _ model: ClusterModel) -> Bool {
        guard ObjectKey(first) != ObjectKey(second) else { return true }
        guard let one = try? model.storagePool(first, on: nodeName), let other = try? model.storagePool(second, on: nodeName) else { return false }
        return one.providerKind == other.providerKind && one.props["StorDriver/StorPoolName"] == other.props["StorDriver/StorPoolName"]
    }

    /// The pool's own properties, and the storage driver settings (`StorDriver/WaitTimeoutAfterCreate`,
    /// …) it inherits from its node or the controller.
    static func storagePoolProps(_ pool: StoragePool, _ model: ClusterModel) -> [String: String] {
        model.effectiveProperties(of: pool).values { $0.hasPrefix("StorDriver/") }.merging(pool.props) { _, own in own }
    }
}

/// The DRBD part of one replica's desired state: its peers, addresses, options and initial sync role.
struct DRBDDesiredState {
    let resource: DesiredDRBDResource
    private let nodeName: String
    private let thinStorage: Bool
    private let forceInitialSync: Bool
    /// The replica's chain and its group's volume groups, for per-volume disk options.
    private let properties: EffectiveProperties
    private let volumeGroups: [Int: VolumeGroup]

    init?(model: ClusterModel, definition: ResourceDefinition, resource: Resource, node: Node, hostname: (ObjectKey) -> String?) {
        guard resource.layerStack.first == .drbd, let drbd = resource.drbd, let definitionData = definition.drbd else { return nil }
        let group = model.group(of: definition)
        let properties = model.effectiveProperties(of: resource, definition: definition)
        let options = properties.values(where: DRBDKeys.isDRBDOption)
        let isDiskless = resource.isDiskless
        let others = model.resources(ofDefinition: definition.key).filter { $0.key != resource.key && !$0.flags.contains(ResourceFlag.delete) }
        let inactive = others.filter { $0.flags.contains(ResourceFlag.inactive) }.compactMap(\.drbd?.nodeID)
        let peers = others.compactMap { peer -> DesiredDRBDPeer? in
            guard !peer.flags.contains(ResourceFlag.inactive), let peerDRBD = peer.drbd, let peerNode = model.nodes[ObjectKey(peer.nodeName)] else { return nil }
            // Two clients have nothing to replicate between them.
            if isDiskless && peer.isDiskless { return nil }
            let link = ConnectionSettings(model: model, definition: definition, node: node, peer: peerNode)
            return DesiredDRBDPeer(
                nodeName: peerNode.name, hostName: hostname(peerNode.key) ?? peerNode.name, nodeID: peerDRBD.nodeID,
                address: Self.replicationAddress(of: peerNode), port: peerDRBD.tcpPorts.first ?? 0, diskless: peer.isDiskless,
                tieBreaker: peer.flags.contains(ResourceFlag.tieBreaker), options: link.options, paths: link.paths)
        }
        var desired = DesiredDRBDResource(
            nodeID: drbd.nodeID, peerSlots: drbd.peerSlots, alStripes: drbd.alStripes, alStripeSizeKiB: drbd.alSizeKiB, secret: definitionData.secret,
            address: Self.replicationAddress(of: node), port: drbd.tcpPorts.first ?? 0, options: options, peers: peers, diskless: isDiskless,
            tieBreaker: resource.flags.contains(ResourceFlag.tieBreaker))
        desired.inactivePeerNodeIDs = inactive.isEmpty ? nil : inactive.sorted()
        self.resource = desired
        self.nodeName = node.name
        self.properties = properties
        self.volumeGroups = group?.volumeGroups ?? [:]
        let pools = Set(resource.volumes.values.map(\.storagePoolName))
        self.thinStorage =
            !pools.isEmpty && pools.allSatisfy { name in model.storagePools[StoragePoolKey(node: node.key, pool: ObjectKey(name))]?.providerKind.isThin ?? false }
        self.forceInitialSync = properties["DrbdOptions/ForceInitialSync"].map { $0.lowercased() == "true" } ?? false
    }

    func volume(_ definition: VolumeDefinition, volume: Volume? = nil) -> DesiredDRBDVolume? {
        guard let minor = definition.drbdMinor else { return nil }
        let initialized = definition.flags.contains(VolumeDefinitionFlag.drbdInitialized)
        let source = definition.props[DRBDKeys.initialUpToDateOn].map { ObjectKey($0) == ObjectKey(self.nodeName) } ?? false
        return DesiredDRBDVolume(
            minor: minor, initialGenerationID: definition.props[DRBDKeys.currentGenerationID], initialSource: source && !initialized,
            skipInitialSync: self.thinStorage && !self.forceInitialSync, thinStorage: self.thinStorage,
            options: Self.volumeOptions(
                self.properties.volume(volume?.props, definition: definition.props, group: self.volumeGroups[definition.number]?.props)))
    }

    /// Volume-level disk options in the volume's chain; only keys a volume-level object sets, the rest
    /// is the resource's section.
    static func volumeOptions(_ properties: EffectiveProperties) -> [String: String] {
        properties.values(where: { $0.hasPrefix("DrbdOptions/Disk/") }, setOn: [.volume, .volumeDefinition, .volumeGroup])
    }

    /// The node's `PrefNic` interface, else the one named `default`, else its first.
    static func replicationAddress(of node: Node) -> String {
        let preferred = node.props["PrefNic"].flatMap { node.netInterface(named: $0) }
        return (preferred ?? node.netInterface(named: "default") ?? node.netInterfaces.first)?.address ?? ""
    }
}

/// What the resource and node connections between two replicas' nodes add to their DRBD connection.
///
/// Options: those the connection's chain (resource connection, resource definition, node connection,
/// resource group, controller) takes from a connection; the rest the resource's own section already
/// carries. Paths: the resource connection's, else the node connection's.
struct ConnectionSettings {
    var options: [String: String] = [:]
    var paths: [DesiredDRBDPath] = []

    init(model: ClusterModel, definition: ResourceDefinition, node: Node, peer: Node) {
        let pair = ConnectionKey(node.key, peer.key)
        let resourceLevel = model.resourceConnections[ResourceConnectionKey(resource: definition.key, nodes: pair)]?.props ?? [:]
        let nodeLevel = model.nodeConnections[pair]?.props ?? [:]
        let properties = model.effectiveProperties(ofConnection: pair, of: definition)
        let connectionLevels: Set<PropertyLevel> = [.resourceConnection, .nodeConnection]
        self.options = properties.values(where: Self.isConnectionOption, setOn: connectionLevels).filter { key, _ in
            properties.winner(of: key).map(connectionLevels.contains) ?? false
        }
        var paths = ConnectionPath.paths(in: resourceLevel, between: node.key, and: peer.key)
        if paths.isEmpty { paths = ConnectionPath.paths(in: nodeLevel, between: node.key, and: peer.key) }
        self.paths = paths.compactMap { path in
            guard let local = path.interfaces[node.key].flatMap({ node.netInterface(named: $0) }),
                let remote = path.interfaces[peer.key].flatMap({ peer.netInterface(named: $0) })
            else { return nil }
            return DesiredDRBDPath(localAddress: local.address, peerAddress: remote.address)
        }
    }

    static func isConnectionOption(_ key: String) -> Bool {
        key.hasPrefix("DrbdOptions/Net/") || key.hasPrefix("DrbdOptions/PeerDevice/")
    }
}
