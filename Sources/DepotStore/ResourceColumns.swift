public import DepotModel
import Foundation

/// A resource as the columns of `resource_rows`, the same in every backend that keeps resources
/// in columns.
///
/// A controller with 30,000 resources spent most of its cold start in `JSONDecoder`; reading
/// columns is an order of magnitude cheaper. Flags and layers are comma-separated; properties
/// stay JSON, stored only when not empty.
public struct ResourceColumns: Sendable, Equatable {
    public var resourceKey: String
    public var nodeKey: String
    public var resourceName: String
    public var nodeName: String
    public var flags: String
    public var layers: String
    public var createTimestamp: Int64
    public var uuid: String
    public var props: String?
    public var drbdNodeID: Int?
    public var drbdTCPPorts: String?
    public var drbdPeerSlots: Int?
    public var drbdALStripes: Int?
    public var drbdALSize: Int64?

    /// The columns in table order, for backends that name them in SQL.
    public static let names = [
        "resource_key", "node_key", "resource_name", "node_name", "flags", "layers", "create_timestamp", "uuid", "props",
        "drbd_node_id", "drbd_tcp_ports", "drbd_peer_slots", "drbd_al_stripes", "drbd_al_size",
    ]

    public init(
        resourceKey: String, nodeKey: String, resourceName: String, nodeName: String, flags: String, layers: String, createTimestamp: Int64,
        uuid: String, props: String?, drbdNodeID: Int?, drbdTCPPorts: String?, drbdPeerSlots: Int?, drbdALStripes: Int?, drbdALSize: Int64?
    ) {
        self.resourceKey = resourceKey
        self.nodeKey = nodeKey
        self.resourceName = resourceName
        self.nodeName = nodeName
        self.flags = flags
        self.layers = layers
        self.createTimestamp = createTimestamp
        self.uuid = uuid
        self.props = props
        self.drbdNodeID = drbdNodeID
        self.drbdTCPPorts = drbdTCPPorts
        self.drbdPeerSlots = drbdPeerSlots
        self.drbdALStripes = drbdALStripes
        self.drbdALSize = drbdALSize
    }

    /// The columns that store `resource` (its volumes go to ``VolumeColumns``).
    public init(_ resource: Resource) throws {
        let key = resource.key
        self.init(
            resourceKey: key.resource.rawValue, nodeKey: key.node.rawValue, resourceName: resource.resourceName, nodeName: resource.nodeName,
            flags: resource.flags.sorted().joined(separator: ","), layers: resource.layerStack.map(\.rawValue).joined(separator: ","),
            createTimestamp: resource.createTimestamp, uuid: resource.uuid, props: try StoredProps.encode(resource.props),
            drbdNodeID: resource.drbd?.nodeID, drbdTCPPorts: resource.drbd.map { $0.tcpPorts.map(String.init).joined(separator: ",") },
            drbdPeerSlots: resource.drbd?.peerSlots, drbdALStripes: resource.drbd?.alStripes, drbdALSize: resource.drbd?.alSizeKiB)
    }

    public var key: ResourceKey { ResourceKey(resource: ObjectKey(self.resourceKey), node: ObjectKey(self.nodeKey)) }

    /// The stored resource with `volumes`, or why the row cannot be loaded.
    func resource(volumes: [Int: Volume]) -> Result<Resource, DamagedReason> {
        let names = self.layers.split(separator: ",")
        var layers: [LayerKind] = []
        for name in names {
            guard let layer = LayerKind(rawValue: String(name)) else { return .failure(DamagedReason("unknown layer \(name)")) }
            layers.append(layer)
        }
        guard let props = StoredProps.decode(self.props) else { return .failure(DamagedReason("its properties are not a JSON object of strings")) }
        var resource = Resource(
            resourceName: self.resourceName, nodeName: self.nodeName, props: props, flags: StoredProps.set(self.flags), layerStack: layers,
            createTimestamp: self.createTimestamp, uuid: self.uuid)
        if let nodeID = self.drbdNodeID {
            resource.drbd = DRBDResourceData(
                nodeID: nodeID, tcpPorts: (self.drbdTCPPorts ?? "").split(separator: ",").compactMap { Int($0) },
                peerSlots: self.drbdPeerSlots ?? DRBDResourceDefinitionData.defaultPeerSlots, alStripes: self.drbdALStripes ?? 1,
                alSizeKiB: self.drbdALSize ?? 32)
        }
        resource.volumes = volumes
        return .success(resource)
    }

    /// Assembles resources from their rows and their volumes' rows. A resource whose row or
    /// volumes do not decode is reported as damaged in `resource_rows`; the others load.
    public static func load(_ rows: [ResourceColumns], volumes volumeRows: [VolumeColumns]) -> LoadedRows {
        var damaged: [ResourceKey: String] = [:]
        var volumes: [ResourceKey: [Int: Volume]] = [:]
        for row in volumeRows {
            guard let volume = row.volume() else {
                damaged[row.key] = "volume \(row.number): its properties are not a JSON object of strings"
                continue
            }
            volumes[row.key, default: [:]][row.number] = volume
        }
        var loaded = LoadedRows()
        loaded.objects.reserveCapacity(rows.count)
        for row in rows {
            let key = row.key
            switch row.resource(volumes: volumes[key] ?? [:]) {
            case .success(let resource) where damaged[key] == nil:
                loaded.objects.append(resource)
            case .success:
                loaded.damaged.append(DamagedRow(table: Resource.storage.table, key: key.columnValues, reason: damaged[key] ?? ""))
            case .failure(let reason):
                loaded.damaged.append(DamagedRow(table: Resource.storage.table, key: key.columnValues, reason: reason.text))
            }
        }
        return loaded
    }
}

/// Why a row cannot be loaded, in words for the administrator.
struct DamagedReason: Error {
    let text: String

    init(_ text: String) { self.text = text }
}

/// A resource's volume as the columns of `volume_rows`.
public struct VolumeColumns: Sendable, Equatable {
    public var resourceKey: String
    public var nodeKey: String
    public var number: Int
    public var storagePool: String
    public var uuid: String
    public var flags: String
    public var props: String?

    /// The columns in table order, for backends that name them in SQL.
    public static let names = ["resource_key", "node_key", "volume_number", "storage_pool", "uuid", "flags", "props"]

    public init(resourceKey: String, nodeKey: String, number: Int, storagePool: String, uuid: String, flags: String, props: String?) {
        self.resourceKey = resourceKey
        self.nodeKey = nodeKey
        self.number = number
        self.storagePool = storagePool
        self.uuid = uuid
        self.flags = flags
        self.props = props
    }

    /// The rows of every volume of `resource`.
    public static func rows(of resource: Resource) throws -> [VolumeColumns] {
        let key = resource.key
        return try resource.volumes.values.sorted { $0.number < $1.number }.map { volume in
            VolumeColumns(
                resourceKey: key.resource.rawValue, nodeKey: key.node.rawValue, number: volume.number, storagePool: volume.storagePoolName,
                uuid: volume.uuid, flags: volume.flags.sorted().joined(separator: ","), props: try StoredProps.encode(volume.props))
        }
    }

    public var key: ResourceKey { ResourceKey(resource: ObjectKey(self.resourceKey), node: ObjectKey(self.nodeKey)) }

    /// The stored volume; nil when its properties do not decode.
    func volume() -> Volume? {
        guard let props = StoredProps.decode(self.props) else { return nil }
        var volume = Volume(number: self.number, storagePoolName: self.storagePool, props: props, uuid: self.uuid)
        volume.flags = StoredProps.set(self.flags)
        return volume
    }
}

/// Properties and flags as resource and volume columns keep them.
enum StoredProps {
    /// JSON text, or nil for no properties (most rows have none).
    static func encode(_ props: [String: String]) throws -> String? {
        guard !props.isEmpty else { return nil }
        return String(decoding: try JSONEncoder().encode(props), as: UTF8.self)
    }

    /// Stored properties; nil when the text is not a JSON object of strings.
    static func decode(_ text: String?) -> [String: String]? {
        guard let text else { return [:] }
        return try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))
    }

    static func set(_ text: String) -> Set<String> {
        Set(text.split(separator: ",").map(String.init))
    }
}
