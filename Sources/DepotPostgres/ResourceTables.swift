import DepotModel
import DepotStore
import PostgresNIO

/// Resources in `resource_rows` and their volumes in `volume_rows`, column by column as
/// ``ResourceColumns`` and ``VolumeColumns`` say (the same columns as SQLite's).
struct ResourceTables: PostgresLayout {
    var tables: [String] { ["resource_rows", "volume_rows"] }

    static let createTables = [
        """
        CREATE TABLE resource_rows (
            resource_key TEXT NOT NULL, node_key TEXT NOT NULL,
            resource_name TEXT NOT NULL, node_name TEXT NOT NULL,
            flags TEXT NOT NULL, layers TEXT NOT NULL, create_timestamp BIGINT NOT NULL, uuid TEXT NOT NULL,
            props TEXT,
            drbd_node_id BIGINT, drbd_tcp_ports TEXT, drbd_peer_slots BIGINT, drbd_al_stripes BIGINT, drbd_al_size BIGINT,
            PRIMARY KEY (resource_key, node_key))
        """,
        """
        CREATE TABLE volume_rows (
            resource_key TEXT NOT NULL, node_key TEXT NOT NULL, volume_number BIGINT NOT NULL,
            storage_pool TEXT NOT NULL, uuid TEXT NOT NULL, flags TEXT NOT NULL, props TEXT,
            PRIMARY KEY (resource_key, node_key, volume_number))
        """,
    ]

    func readAll(_ session: SQLSession) async throws -> LoadedRows {
        let volumes = try await session.rows("SELECT \(VolumeColumns.names.joined(separator: ", ")) FROM volume_rows").map { row in
            let (resource, node, number, pool, uuid, flags, props) = try row.decode((String, String, Int, String, String, String, String?).self)
            return VolumeColumns(resourceKey: resource, nodeKey: node, number: number, storagePool: pool, uuid: uuid, flags: flags, props: props)
        }
        let rows = try await session.rows("SELECT \(ResourceColumns.names.joined(separator: ", ")) FROM resource_rows").map { row in
            let (resource, node, resourceName, nodeName, flags, layers, created, uuid, props, nodeID, ports, slots, stripes, size) = try row.decode(
                (String, String, String, String, String, String, Int64, String, String?, Int?, String?, Int?, Int?, Int64?).self)
            return ResourceColumns(
                resourceKey: resource, nodeKey: node, resourceName: resourceName, nodeName: nodeName, flags: flags, layers: layers,
                createTimestamp: created, uuid: uuid, props: props, drbdNodeID: nodeID, drbdTCPPorts: ports, drbdPeerSlots: slots,
                drbdALStripes: stripes, drbdALSize: size)
        }
        return ResourceColumns.load(rows, volumes: volumes)
    }

    /// Replaces each written resource's volumes whole, as SQLite does: their rows are deleted and
    /// the current ones inserted, so a volume that left the resource leaves the table. The
    /// deletion rides on the resources' upsert (one statement), and the volumes follow in the next.
    func write(_ objects: [any StoredObject], removing removals: [[String]], on session: SQLSession) async throws {
        let resources = objects.compactMap { $0 as? Resource }
        let deleteVolumes = BatchedStatement(prefix: "DELETE FROM volume_rows WHERE (resource_key, node_key) IN (", suffix: ")", columns: 2)
        try await deleteVolumes.run(removals, on: session) { binds, key in
            binds.append(key[0])
            binds.append(key[1])
        }
        try await Resource.storage.deleteByKeys.run(removals, on: session) { binds, key in
            binds.append(key[0])
            binds.append(key[1])
        }
        let columns = ResourceColumns.names
        let updates = columns.dropFirst(2).map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")
        let upsert = BatchedStatement(
            prefix: "INSERT INTO resource_rows (\(columns.joined(separator: ", ")))",
            suffix: " ON CONFLICT (resource_key, node_key) DO UPDATE SET \(updates)", columns: columns.count,
            clearing: BatchedStatement.Clearing(table: "volume_rows", keyColumns: ["resource_key", "node_key"]))
        try await upsert.run(try resources.map(ResourceColumns.init), on: session) { binds, row in
            binds.append(row.resourceKey)
            binds.append(row.nodeKey)
            binds.append(row.resourceName)
            binds.append(row.nodeName)
            binds.append(row.flags)
            binds.append(row.layers)
            binds.append(row.createTimestamp)
            binds.append(row.uuid)
            binds.append(row.props)
            binds.append(row.drbdNodeID)
            binds.append(row.drbdTCPPorts)
            binds.append(row.drbdPeerSlots)
            binds.append(row.drbdALStripes)
            binds.append(row.drbdALSize)
        }
        let insertVolumes = BatchedStatement(
            prefix: "INSERT INTO volume_rows (\(VolumeColumns.names.joined(separator: ", ")))", suffix: "", columns: VolumeColumns.names.count)
        try await insertVolumes.run(try resources.flatMap(VolumeColumns.rows), on: session) { binds, volume in
            binds.append(volume.resourceKey)
            binds.append(volume.nodeKey)
            binds.append(volume.number)
            binds.append(volume.storagePool)
            binds.append(volume.uuid)
            binds.append(volume.flags)
            binds.append(volume.props)
        }
    }

    /// The resource's row and its volumes' rows as one JSON object, for the quarantine.
    func content(of key: [String], on session: SQLSession) async throws -> String? {
        var binds = PostgresBindings()
        binds.append(key[0])
        binds.append(key[1])
        let row = try await session.rows(
            """
            SELECT json_build_object(
                'resource_rows', row_to_json(r),
                'volume_rows', (SELECT coalesce(json_agg(v ORDER BY v.volume_number), '[]'::json) FROM volume_rows v
                                WHERE v.resource_key = r.resource_key AND v.node_key = r.node_key))::text
            FROM resource_rows r WHERE r.resource_key = $1 AND r.node_key = $2
            """, binds
        ).first
        return try row?.decode(String.self)
    }
}
