import DepotClient
import Foundation

/// The one-row `rg qsi` table and the per-pool `rg qmvs` table, with linstor-client's columns.
enum QueryTables {
    /// `MaxVolumeSize | AvailableSize | Capacity | Next Spawn Result`; the last cell has one
    /// `<pool> on <node>` line per replica of the next spawn, or `-` when nothing would be placed.
    static func sizeInfo(_ spaceInfo: JSONValue, table: TextTable) -> String {
        var table = table
        table.addColumn("MaxVolumeSize", alignRight: true)
        table.addColumn("AvailableSize", alignRight: true)
        table.addColumn("Capacity", alignRight: true)
        table.addColumn("Next Spawn Result")
        let placements = (spaceInfo["next_spawn_result"]?.arrayValue ?? []).map {
            $0.text("stor_pool_name") + " on " + $0.text("node_name")
        }
        table.addRow([
            TextTable.Cell(Self.size(spaceInfo["max_vlm_size_in_kib"])),
            TextTable.Cell(Self.size(spaceInfo["available_size_in_kib"])),
            TextTable.Cell(Self.size(spaceInfo["capacity_in_kib"])),
            TextTable.Cell(placements.isEmpty ? "-" : placements.joined(separator: "\n")),
        ])
        return table.render()
    }

    /// `StoragePool | MaxVolumeSize | Provisioning | Nodes`, one row per candidate in the
    /// controller's order. Thin pools show their oversubscription ratio: the pool definition's
    /// `MaxOversubscriptionRatio`, else the answer's default.
    static func maxVolumeSizes(_ answer: JSONValue, poolDefinitions: JSONValue, table: TextTable) -> String {
        var table = table
        table.addColumn("StoragePool")
        table.addColumn("MaxVolumeSize", alignRight: true)
        table.addColumn("Provisioning")
        table.addColumn("Nodes")
        let defaultRatio = answer["default_max_oversubscription_ratio"]?.doubleValue ?? 20
        for candidate in answer["candidates"]?.arrayValue ?? [] {
            let pool = candidate.text("storage_pool")
            let definitions = poolDefinitions.arrayValue
            let definition =
                definitions.first { $0.text("storage_pool_name") == pool }
                ?? definitions.first { $0.text("storage_pool_name").lowercased() == pool.lowercased() }
            let ratio = definition.flatMap { Double($0.prop("MaxOversubscriptionRatio")) } ?? defaultRatio
            let thin = candidate["all_thin"]?.boolValue ?? false
            let nodes = (candidate["node_names"]?.arrayValue ?? []).compactMap(\.stringValue)
            table.addRow([
                TextTable.Cell(pool),
                TextTable.Cell(Self.size(candidate["max_volume_size_kib"])),
                TextTable.Cell(thin ? "Thin, oversubscription ratio " + Self.pythonFloat(ratio) : "Thick"),
                TextTable.Cell(Self.limited(nodes)),
            ])
        }
        return table.render()
    }

    /// Node names joined by `, `, cut to 40 characters ending in `...` when longer.
    static func limited(_ names: [String], limit: Int = 40) -> String {
        let joined = names.joined(separator: ", ")
        guard joined.count > limit else { return joined }
        return String(joined.prefix(limit - 3)) + "..."
    }

    /// Python's `str(float)`: `20.0`, `1.5`, `1e+20`.
    static func pythonFloat(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e16 {
            return String(format: "%.1f", value)
        }
        return value.description
    }

    private static func size(_ value: JSONValue?) -> String {
        value?.int64Value.map { SizeSyntax.approximate(kib: $0) } ?? ""
    }
}
