import DepotModel
import DepotStore

/// Finds the stored objects the controller cannot serve: rows that do not decode, references to
/// objects that do not exist, and numbers two objects claim at once.
///
/// The controller runs it on every start and serves the rest; `depot-controller check` prints
/// what it finds and `--repair` moves those rows into the quarantine. One bad row never keeps the
/// cluster's configuration out of reach, and nothing is deleted: a quarantined row stays readable.
struct DatabaseCheck: Sendable {
    /// What the controller can load, without the damaged objects.
    private(set) var cluster: StoredCluster
    /// Every row left out, and why; the undecodable ones first.
    private(set) var findings: [DamagedRow]

    init(_ stored: StoredCluster) {
        self.cluster = stored
        self.findings = stored.damaged
        self.cluster.damaged = []
        // A row left out can leave others dangling (a resource of a quarantined definition):
        // repeat until a pass finds nothing new.
        while self.pass() {}
    }

    /// What was left out, as the running controller keeps it.
    var quarantine: StartupQuarantine { StartupQuarantine(rows: self.findings) }

    /// One pass over every rule; true when it left something out.
    private mutating func pass() -> Bool {
        let before = self.findings.count
        let nodes = Set(self.cluster[Node.self].map(\.key))
        self.drop(StoragePool.self) { pool in nodes.contains(ObjectKey(pool.nodeName)) ? nil : "its node \(pool.nodeName) does not exist" }
        let groups = Set(self.cluster[ResourceGroup.self].map(\.key))
        self.drop(ResourceDefinition.self) { definition in
            groups.contains(ObjectKey(definition.resourceGroupName)) ? nil : "its resource group \(definition.resourceGroupName) does not exist"
        }
        self.dropDuplicateMinors()
        let definitions = Dictionary(self.cluster[ResourceDefinition.self].map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let pools = Set(self.cluster[StoragePool.self].map(\.key))
        self.drop(Resource.self) { resource in
            guard nodes.contains(ObjectKey(resource.nodeName)) else { return "its node \(resource.nodeName) does not exist" }
            guard definitions[ObjectKey(resource.resourceName)] != nil else {
                return "its resource definition \(resource.resourceName) does not exist"
            }
            for volume in resource.volumes.values.sorted(by: { $0.number < $1.number })
            where !pools.contains(StoragePoolKey(node: ObjectKey(resource.nodeName), pool: ObjectKey(volume.storagePoolName))) {
                return "volume \(volume.number) is in storage pool \(volume.storagePoolName), which node \(resource.nodeName) does not have"
            }
            return nil
        }
        self.dropDuplicateNodeIDsAndPorts()
        self.drop(SnapshotDefinition.self) { snapshot in
            definitions[ObjectKey(snapshot.resourceName)] == nil ? "its resource definition \(snapshot.resourceName) does not exist" : nil
        }
        self.drop(NodeConnection.self) { connection in
            let missing = [connection.nodeA, connection.nodeB].filter { !nodes.contains(ObjectKey($0)) }
            return missing.isEmpty ? nil : "node \(missing[0]) does not exist"
        }
        let resources = Set(self.cluster[Resource.self].map(\.key))
        self.drop(ResourceConnection.self) { connection in
            let missing = [connection.nodeA, connection.nodeB].filter {
                !resources.contains(ResourceKey(resource: ObjectKey(connection.resourceName), node: ObjectKey($0)))
            }
            return missing.isEmpty ? nil : "resource \(connection.resourceName) does not exist on node \(missing[0])"
        }
        return self.findings.count > before
    }

    /// Two volume definitions with one DRBD minor: the later definition (by name) is left out, as
    /// the first one is what the satellites have been running.
    private mutating func dropDuplicateMinors() {
        var owners: [Int: String] = [:]
        self.drop(ResourceDefinition.self, inOrder: true) { definition in
            for volume in definition.volumeDefinitions.values.sorted(by: { $0.number < $1.number }) {
                guard let minor = volume.drbdMinor else { continue }
                if let owner = owners[minor] { return "DRBD minor \(minor) of volume \(volume.number) is also used by \(owner)" }
            }
            for volume in definition.volumeDefinitions.values { if let minor = volume.drbdMinor { owners[minor] = definition.name } }
            return nil
        }
    }

    /// Two replicas of one definition with one DRBD node id, or two replicas on one node with one
    /// TCP port: the later one (by creation time) is left out.
    private mutating func dropDuplicateNodeIDsAndPorts() {
        var nodeIDs: [ObjectKey: [Int: String]] = [:]
        var ports: [ObjectKey: [Int: String]] = [:]
        let ordered = self.cluster[Resource.self].sorted { ($0.createTimestamp, $0.key) < ($1.createTimestamp, $1.key) }
        var left: Set<ResourceKey> = []
        for resource in ordered {
            guard let drbd = resource.drbd else { continue }
            let definition = ObjectKey(resource.resourceName)
            let node = ObjectKey(resource.nodeName)
            if let owner = nodeIDs[definition]?[drbd.nodeID] {
                self.findings.append(self.row(resource, "DRBD node id \(drbd.nodeID) is also used by its replica on \(owner)"))
                left.insert(resource.key)
                continue
            }
            if let port = drbd.tcpPorts.first(where: { ports[node]?[$0] != nil }), let owner = ports[node]?[port] {
                self.findings.append(self.row(resource, "TCP port \(port) on node \(resource.nodeName) is also used by \(owner)"))
                left.insert(resource.key)
                continue
            }
            nodeIDs[definition, default: [:]][drbd.nodeID] = resource.nodeName
            for port in drbd.tcpPorts { ports[node, default: [:]][port] = resource.resourceName }
        }
        if !left.isEmpty { self.cluster.set(self.cluster[Resource.self].filter { !left.contains($0.key) }, of: Resource.self) }
    }

    /// Leaves out the objects of `kind` for which `problem` names one.
    private mutating func drop<Object: StoredObject>(_ kind: Object.Type, inOrder: Bool = false, _ problem: (Object) -> String?) {
        var objects = self.cluster[kind]
        if inOrder { objects.sort { $0.key < $1.key } }
        var kept: [Object] = []
        for object in objects {
            if let reason = problem(object) {
                self.findings.append(self.row(object, reason))
            } else {
                kept.append(object)
            }
        }
        if kept.count != objects.count { self.cluster.set(kept, of: kind) }
    }

    private func row<Object: StoredObject>(_ object: Object, _ reason: String) -> DamagedRow {
        DamagedRow(table: Object.storage.table, key: object.key.columnValues, reason: reason)
    }
}

/// The rows the controller left out at start (``DatabaseCheck``), kept in the model while it runs.
struct StartupQuarantine: Sendable {
    let rows: [DamagedRow]
    private let keys: Set<[String]>

    init(rows: [DamagedRow] = []) {
        self.rows = rows
        self.keys = Set(rows.map { [$0.table] + $0.key })
    }

    /// The row a change would overwrite while it is left out; nil when the change touches none.
    ///
    /// Writing over a quarantined row would destroy what an administrator may still restore.
    func conflict(with changes: [StoreChange]) -> DamagedRow? {
        guard !self.rows.isEmpty else { return nil }
        guard let change = changes.first(where: { self.keys.contains([$0.kind.storage.table] + $0.keyValues) }) else { return nil }
        return self.rows.first { $0.table == change.kind.storage.table && $0.key == change.keyValues }
    }

    /// Resource names (keys) whose storage, devices and snapshots a node must leave alone while
    /// their rows are left out: the controller cannot describe them, so it must not let the node
    /// remove them as unwanted.
    func heldResources(on node: ObjectKey) -> [String] {
        var held: Set<String> = []
        for row in self.rows {
            switch row.table {
            case Resource.storage.table where row.key.count == 2 && ObjectKey(row.key[1]) == node:
                held.insert(ObjectKey(row.key[0]).rawValue)
            case ResourceDefinition.storage.table, SnapshotDefinition.storage.table:
                if let resource = row.key.first { held.insert(ObjectKey(resource).rawValue) }
            default: break
            }
        }
        return held.sorted()
    }
}
