import DepotModel
import DepotStore
import Foundation
import GRDB

/// Resources in columns instead of JSON documents (``ResourceColumns`` says why and how).
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
        let row = try ResourceColumns(resource)
        try db.execute(
            sql: "INSERT OR REPLACE INTO resource_rows (\(ResourceColumns.names.joined(separator: ", "))) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [
                row.resourceKey, row.nodeKey, row.resourceName, row.nodeName, row.flags, row.layers, row.createTimestamp, row.uuid, row.props,
                row.drbdNodeID, row.drbdTCPPorts, row.drbdPeerSlots, row.drbdALStripes, row.drbdALSize,
            ])
        for volume in try VolumeColumns.rows(of: resource) {
            try db.execute(
                sql: "INSERT INTO volume_rows (\(VolumeColumns.names.joined(separator: ", "))) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [volume.resourceKey, volume.nodeKey, volume.number, volume.storagePool, volume.uuid, volume.flags, volume.props])
        }
    }

    /// A resource whose row or volumes do not decode is reported as damaged; the others load.
    static func readAll(_ db: Database) throws -> LoadedRows {
        let volumes = try Row.fetchAll(db, sql: "SELECT \(VolumeColumns.names.joined(separator: ", ")) FROM volume_rows").map { row in
            VolumeColumns(resourceKey: row[0], nodeKey: row[1], number: row[2], storagePool: row[3], uuid: row[4], flags: row[5], props: row[6])
        }
        let rows = try Row.fetchAll(db, sql: "SELECT \(ResourceColumns.names.joined(separator: ", ")) FROM resource_rows").map { row in
            ResourceColumns(
                resourceKey: row[0], nodeKey: row[1], resourceName: row[2], nodeName: row[3], flags: row[4], layers: row[5], createTimestamp: row[6],
                uuid: row[7], props: row[8], drbdNodeID: row[9], drbdTCPPorts: row[10], drbdPeerSlots: row[11], drbdALStripes: row[12],
                drbdALSize: row[13])
        }
        return ResourceColumns.load(rows, volumes: volumes)
    }
}
