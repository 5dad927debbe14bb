import DepotModel
public import DepotStore

/// Objects of every stored kind, for tests that must cover each kind (the conformance suite).
///
/// A kind added to ``StoredKinds/all`` without a sample here fails the suite, so a new kind cannot
/// go untested.
public enum StoreSamples {
    /// A sample of `kind` named after `name`: different names give different keys, different
    /// revisions the same key with other contents. Nil for a kind this file does not know yet.
    public static func object(of kind: any StoredObject.Type, name: String, revision: Int = 0) -> (any StoredObject)? {
        let uuid = "\(name)-uuid-\(revision)"
        let props = ["Aux/revision": String(revision), "Aux/list": "a,b"]
        switch kind {
        case is ControllerProperty.Type:
            return ControllerProperty(key: "Aux/\(name)", value: "value \(revision)")
        case is Node.Type:
            let interface = NetInterface(name: "default", address: "127.0.0.11", satellitePort: 3366, encryptionType: .plain, uuid: uuid)
            return Node(name: name, type: .combined, props: props, netInterfaces: [interface], uuid: uuid)
        case is StoragePoolDefinition.Type:
            return StoragePoolDefinition(name: name, props: props, uuid: uuid)
        case is StoragePool.Type:
            return StoragePool(
                nodeName: "vulcan", name: name, providerKind: .lvmThin, props: ["StorDriver/StorPoolName": "vg/\(name)"],
                freeSpaceManagerName: nil, externalLocking: revision > 0, uuid: uuid)
        case is ResourceGroup.Type:
            var group = ResourceGroup(name: name, uuid: uuid)
            group.props = props
            group.selectFilter.placeCount = 2 + revision
            return group
        case is ResourceDefinition.Type:
            var definition = ResourceDefinition(name: name, layerStack: [.drbd, .storage], resourceGroupName: "DfltRscGrp", uuid: uuid)
            definition.props = props
            definition.volumeDefinitions[0] = VolumeDefinition(number: 0, sizeKiB: 153_600 + Int64(revision), uuid: "\(uuid)-v0")
            return definition
        case is Resource.Type:
            return Self.resource(name: name, revision: revision)
        case is NodeConnection.Type:
            return NodeConnection(nodeA: "\(name)-b", nodeB: "\(name)-a", props: ["Paths/p1/\(name)-a": "data", "Aux/revision": String(revision)])
        case is ResourceConnection.Type:
            return ResourceConnection(
                resourceName: name, nodeA: "alpha", nodeB: "bravo", props: ["DrbdOptions/Net/protocol": revision > 0 ? "A" : "C"],
                flags: revision > 0 ? ["PAUSED"] : [])
        case is KeyValueStore.Type:
            return KeyValueStore(name: name, props: ["driver/volume-\(revision)/size": "\(1024 + revision)", "": "kept under the empty key"], uuid: uuid)
        case is SnapshotDefinition.Type:
            var snapshot = SnapshotDefinition(resourceName: "SharedData", name: name, layerStack: [.drbd, .storage], uuid: uuid)
            snapshot.flags = revision > 0 ? [SnapshotFlag.successful] : []
            snapshot.phase = revision > 0 ? nil : .suspending
            snapshot.volumes = [0: SnapshotVolumeDefinition(number: 0, sizeKiB: 1024 + Int64(revision))]
            snapshot.nodes = ["alpha": SnapshotOnNode(nodeName: "alpha", createTimestamp: 1_700_000_000_000, storagePools: [0: "thin"], drbdNodeID: 0, uuid: uuid)]
            return snapshot
        case is MasterKeyRecord.Type:
            let kdf = MasterKeyRecord.KeyDerivation(algorithm: "scrypt", salt: "c2FsdC1\(name)", rounds: 32_768, blockSize: 8, parallelism: 1 + revision)
            return MasterKeyRecord(name: name, kdf: kdf, sealedKey: "sealed-\(name)-\(revision)")
        case is AuthToken.Type:
            let id = AuthTokenID(name.unicodeScalars.reduce(0) { ($0 * 31 + Int($1.value)) % 1_000_000 })
            return AuthToken(
                id: id, tokenHash: "hash-\(name)", description: "\(name) \(revision)", isActive: revision == 0, createdAt: 1_700_000_000_000,
                deletedAt: revision > 0 ? 1_700_000_000_500 : nil, expiresAt: 1_800_000_000_000, ipFilter: revision > 0 ? "127.0.0.1" : nil)
        default:
            return nil
        }
    }

    /// A resource that uses every field a backend stores: flags, layers, volumes, DRBD data.
    private static func resource(name: String, revision: Int) -> Resource {
        var resource = Resource(
            resourceName: name, nodeName: "vulcan", props: ["StorPoolName": "thinpool", "Aux/x": "a,b"],
            flags: revision > 0 ? ["DISKLESS", "DRBD_DISKLESS"] : [], layerStack: [.drbd, .storage],
            createTimestamp: 1_700_000_000_123 + Int64(revision), uuid: "\(name)-uuid-\(revision)")
        var volume = Volume(number: 0, storagePoolName: "thinpool", props: ["Aux/v": "1"], uuid: "\(name)-v0")
        volume.flags = ["RESIZE"]
        resource.volumes = [0: volume, 3: Volume(number: 3, storagePoolName: "thinpool", uuid: "\(name)-v3")]
        resource.drbd = DRBDResourceData(nodeID: 2 + revision, tcpPorts: [7000, 7005], peerSlots: 7, alStripes: 1, alSizeKiB: 32)
        return resource
    }
}
