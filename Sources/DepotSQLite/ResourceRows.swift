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

    func readAll(_ db: Database) throws -> LoadedRows {
        try Self.readAll(db)
    }

    func content(of key: [String], in db: Database) throws -> String? {
        let arguments = StatementArguments(key)
        guard let resource = try Row.fetchOne(db, sql: "SELECT * FROM resource_rows WHERE resource_key = ? AND node_key = ?", arguments: arguments)
        else { return nil }
        let volumes = try Row.fetchAll(db, sql: "SELECT * FROM volume_rows WHERE resource_key = ? AND node_key = ?", arguments: arguments)
        let dump: [String: Any] = ["resource_rows": Self.columns(resource), "volume_rows": volumes.map(Self.columns)]
        return String(decoding: try JSONSerialization.data(withJSONObject: dump, options: [.sortedKeys]), as: UTF8.self)
    }

    func remove(_ key: [String], from db: Database) throws {
        try Self.write(db, ResourceKey(resource: ObjectKey(key[0]), node: ObjectKey(key[1])), nil)
    }

    /// A row's columns as JSON values, for the quarantine.
    private static func columns(_ row: Row) -> [String: Any] {
        var values: [String: Any] = [:]
        for (column, value) in row {
            switch value.storage {
            case .null: values[column] = NSNull()
            case .int64(let number): values[column] = number
            case .double(let number): values[column] = number
            case .string(let text): values[column] = text
            case .blob(let data): values[column] = data.base64EncodedString()
            }
        }
        return values
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

    /// A resource whose row or volumes do not decode is reported as damaged; the others load.
    static func readAll(_ db: Database) throws -> LoadedRows {
        var damaged: [ResourceKey: String] = [:]
        var volumes: [ResourceKey: [Int: Volume]] = [:]
        let volumeRows = try Row.fetchCursor(
            db, sql: "SELECT resource_key, node_key, volume_number, storage_pool, uuid, flags, props FROM volume_rows")
        while let row = try volumeRows.next() {
            let key = ResourceKey(resource: ObjectKey(row[0] as String), node: ObjectKey(row[1] as String))
            let number: Int = row[2]
            guard let props = Self.props(row[6]) else {
                damaged[key] = "volume \(number): its properties are not a JSON object of strings"
                continue
            }
            var volume = Volume(number: number, storagePoolName: row[3], props: props, uuid: row[4])
            volume.flags = Self.set(row[5])
            volumes[key, default: [:]][number] = volume
        }
        var loaded = LoadedRows()
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT resource_key, node_key, resource_name, node_name, flags, layers, create_timestamp, uuid, props,
                    drbd_node_id, drbd_tcp_ports, drbd_peer_slots, drbd_al_stripes, drbd_al_size FROM resource_rows
                """)
        while let row = try rows.next() {
            let key = ResourceKey(resource: ObjectKey(row[0] as String), node: ObjectKey(row[1] as String))
            let layerNames: String = row[5]
            let layers = layerNames.split(separator: ",").map { LayerKind(rawValue: String($0)) }
            if let unknown = zip(layerNames.split(separator: ","), layers).first(where: { $0.1 == nil })?.0 {
                damaged[key] = "unknown layer \(unknown)"
            }
            let props = Self.props(row[8])
            if props == nil { damaged[key] = "its properties are not a JSON object of strings" }
            if let reason = damaged[key] {
                loaded.damaged.append(DamagedRow(table: "resource_rows", key: key.columnValues, reason: reason))
                continue
            }
            var resource = Resource(
                resourceName: row[2], nodeName: row[3], props: props ?? [:], flags: Self.set(row[4]),
                layerStack: layers.compactMap { $0 }, createTimestamp: row[6], uuid: row[7])
            if let nodeID = row[9] as Int? {
                let ports = (row[10] as String? ?? "").split(separator: ",").compactMap { Int($0) }
                resource.drbd = DRBDResourceData(
                    nodeID: nodeID, tcpPorts: ports, peerSlots: row[11] ?? DRBDResourceDefinitionData.defaultPeerSlots,
                    alStripes: row[12] ?? 1, alSizeKiB: row[13] ?? 32)
            }
            resource.volumes = volumes[key] ?? [:]
            loaded.objects.append(resource)
        }
        return loaded
    }

    private static func set(_ text: String) -> Set<String> {
        Set(text.split(separator: ",").map(String.init))
    }

    private static func json(_ props: [String: String]) throws -> String? {
        guard !props.isEmpty else { return nil }
        return String(decoding: try JSONEncoder().encode(props), as: UTF8.self)
    }

    /// Stored properties; nil when the text is not a JSON object of strings.
    private static func props(_ text: String?) -> [String: String]? {
        guard let text else { return [:] }
        return try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))
    }
}
