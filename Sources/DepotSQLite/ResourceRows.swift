import DepotModel
import DepotStore
import Foundation
import GRDB

/// Resources in columns instead of JSON documents.
///
/// A controller with 30,000 resources spent most of its cold start in `JSONDecoder`; reading
/// columns is an order of magnitude cheaper. Properties stay JSON, stored only when not empty.
struct ResourceRows: SQLiteLayout {
    static let createTables = """
        CREATE TABLE resource_rows (
            resource_key TEXT NOT NULL, node_key TEXT NOT NULL,
            resource_name TEXT NOT NULL, node_name TEXT NOT NULL,
            flags TEXT NOT NULL, layers TEXT NOT NULL, create_timestamp INTEGER NOT NULL, uuid TEXT NOT NULL,
            props TEXT,
            drbd_node_id INTEGER, drbd_tcp_ports TEXT, drbd_peer_slots INTEGER, drbd_al_stripes INTEGER, drbd_al_size INTEGER,
            PRIMARY KEY (resource_key, node_key));
        CREATE TABLE volume_rows (
            resource_key TEXT NOT NULL, node_key TEXT NOT NULL, volume_number INTEGER NOT NULL,
            storage_pool TEXT NOT NULL, uuid TEXT NOT NULL, flags TEXT NOT NULL, props TEXT,
            PRIMARY KEY (resource_key, node_key, volume_number));
        """

    var tables: [String] { ["resource_rows", "volume_rows"] }

    func write(_ change: StoreChange, to db: Database) throws {
        let values = change.keyValues
        try Self.write(db, ResourceKey(resource: ObjectKey(values[0]), node: ObjectKey(values[1])), change.object as? Resource)
    }

    func readAll(_ db: Database) throws -> [any StoredObject] {
        try Self.readAll(db)
    }

    static func write(_ db: Database, _ key: ResourceKey, _ resource: Resource?) throws {
        let keys: StatementArguments = [key.resource.rawValue, key.node.rawValue]
        try db.execute(sql: "DELETE FROM volume_rows WHERE resource_key = ? AND node_key = ?", arguments: keys)
        guard let resource else {
            try db.execute(sql: "DELETE FROM resource_rows WHERE resource_key = ? AND node_key = ?", arguments: keys)
            return
        }
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO resource_rows (resource_key, node_key, resource_name, node_name, flags, layers,
                    create_timestamp, uuid, props, drbd_node_id, drbd_tcp_ports, drbd_peer_slots, drbd_al_stripes, drbd_al_size)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                key.resource.rawValue, key.node.rawValue, resource.resourceName, resource.nodeName,
                resource.flags.sorted().joined(separator: ","), resource.layerStack.map(\.rawValue).joined(separator: ","),
                resource.createTimestamp, resource.uuid, try Self.json(resource.props),
                resource.drbd?.nodeID, resource.drbd.map { $0.tcpPorts.map(String.init).joined(separator: ",") },
                resource.drbd?.peerSlots, resource.drbd?.alStripes, resource.drbd?.alSizeKiB,
            ])
        for volume in resource.volumes.values {
            try db.execute(
                sql: """
                    INSERT INTO volume_rows (resource_key, node_key, volume_number, storage_pool, uuid, flags, props)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    key.resource.rawValue, key.node.rawValue, volume.number, volume.storagePoolName, volume.uuid,
                    volume.flags.sorted().joined(separator: ","), try Self.json(volume.props),
                ])
        }
    }

    static func readAll(_ db: Database) throws -> [Resource] {
        var volumes: [ResourceKey: [Int: Volume]] = [:]
        let volumeRows = try Row.fetchCursor(
            db, sql: "SELECT resource_key, node_key, volume_number, storage_pool, uuid, flags, props FROM volume_rows")
        while let row = try volumeRows.next() {
            let key = ResourceKey(resource: ObjectKey(row[0] as String), node: ObjectKey(row[1] as String))
            let number: Int = row[2]
            var volume = Volume(number: number, storagePoolName: row[3], props: try Self.props(row[6], "volume_rows", key), uuid: row[4])
            volume.flags = Self.set(row[5])
            volumes[key, default: [:]][number] = volume
        }
        var resources: [Resource] = []
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT resource_key, node_key, resource_name, node_name, flags, layers, create_timestamp, uuid, props,
                    drbd_node_id, drbd_tcp_ports, drbd_peer_slots, drbd_al_stripes, drbd_al_size FROM resource_rows
                """)
        while let row = try rows.next() {
            let key = ResourceKey(resource: ObjectKey(row[0] as String), node: ObjectKey(row[1] as String))
            let layerNames: String = row[5]
            var layers: [LayerKind] = []
            for name in layerNames.split(separator: ",") {
                guard let layer = LayerKind(rawValue: String(name)) else {
                    throw StoreError.corruptRow(table: "resource_rows", key: "\(key)", underlying: StoreError("unknown layer \(name)"))
                }
                layers.append(layer)
            }
            var resource = Resource(
                resourceName: row[2], nodeName: row[3], props: try Self.props(row[8], "resource_rows", key), flags: Self.set(row[4]),
                layerStack: layers, createTimestamp: row[6], uuid: row[7])
            if let nodeID = row[9] as Int? {
                let ports = (row[10] as String? ?? "").split(separator: ",").compactMap { Int($0) }
                resource.drbd = DRBDResourceData(
                    nodeID: nodeID, tcpPorts: ports, peerSlots: row[11] ?? DRBDResourceDefinitionData.defaultPeerSlots,
                    alStripes: row[12] ?? 1, alSizeKiB: row[13] ?? 32)
            }
            resource.volumes = volumes[key] ?? [:]
            resources.append(resource)
        }
        return resources
    }

    private static func set(_ text: String) -> Set<String> {
        Set(text.split(separator: ",").map(String.init))
    }

    private static func json(_ props: [String: String]) throws -> String? {
        guard !props.isEmpty else { return nil }
        return String(decoding: try JSONEncoder().encode(props), as: UTF8.self)
    }

    private static func props(_ text: String?, _ table: String, _ key: ResourceKey) throws -> [String: String] {
        guard let text else { return [:] }
        do {
            return try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
        } catch {
            throw StoreError.corruptRow(table: table, key: "\(key)", underlying: error)
        }
    }
}
