import DepotClient

/// `snapshot list` (linstor-client `snapshot_cmds.py`).
enum SnapshotTables {
    static func list(_ snapshots: JSONValue, table: TextTable) -> String {
        var table = table
        for header in ["ResourceName", "SnapshotName", "NodeNames", "Volumes", "CreatedOn"] { table.addColumn(header) }
        table.addColumn("State", color: .darkGreen)
        for definition in snapshots.arrayValue {
            let flags = definition.flags
            let perNode = definition["snapshots"]?.arrayValue ?? []
            let state: TextTable.Cell
            if flags.contains("DELETE") {
                state = TextTable.Cell("DELETING", .red)
            } else if flags.contains("FAILED_DEPLOYMENT") {
                state = TextTable.Cell("Failed", .red)
            } else if flags.contains("FAILED_DISCONNECT") {
                state = TextTable.Cell("Satellite disconnected", .red)
            } else if flags.contains("SUCCESSFUL") {
                let shipping = flags.contains("BACKUP") && flags.contains("SHIPPING")
                if shipping, perNode.contains(where: { $0.flags.contains("BACKUP_SOURCE") }) {
                    state = TextTable.Cell("Shipping", .yellow)
                } else if shipping, perNode.contains(where: { $0.flags.contains("BACKUP_TARGET") }) {
                    state = TextTable.Cell("Restoring", .yellow)
                } else {
                    let subState = perNode.lazy.flatMap { $0["snapshot_volumes"]?.arrayValue ?? [] }
                        .compactMap { $0["state"]?.stringValue }.first { !$0.isEmpty && $0 != "completed" }
                    state = TextTable.Cell("Successful" + (subState.map { " (\($0))" } ?? ""), .darkGreen)
                }
            } else {
                // Depot's controller names the step a snapshot being taken waits for.
                let step = perNode.lazy.flatMap { $0["snapshot_volumes"]?.arrayValue ?? [] }.compactMap { $0["state"]?.stringValue }.first { !$0.isEmpty }
                state = TextTable.Cell("Incomplete" + (step.map { " (\($0))" } ?? ""), .darkBlue)
            }
            let created =
                perNode.first?["create_timestamp"]?.int64Value.map { LocalTime.format(milliseconds: $0) } ?? ""
            let volumes = (definition["volume_definitions"]?.arrayValue ?? []).map {
                "\($0["volume_number"]?.int64Value ?? 0): "
                    + SizeSyntax.approximate(kib: $0["size_kib"]?.int64Value ?? 0)
            }
            table.addRow([
                TextTable.Cell(definition.text("resource_name")), TextTable.Cell(definition.text("name")),
                TextTable.Cell((definition["nodes"]?.arrayValue ?? []).map(\.displayText).joined(separator: ", ")),
                TextTable.Cell(volumes.joined(separator: ", ")), TextTable.Cell(created), state,
            ])
        }
        return table.render()
    }
}
