import DepotClient

/// `resource-group list` and `volume-group list`.
enum GroupTables {
    static let resourceGroupHeaders = ["ResourceGroup", "SelectFilter", "VlmNrs", "Description"]
    static let volumeGroupHeaders = ["VolumeNr", "Flags"]

    /// - Parameter volumeNumbers: each group's volume group numbers (fetched one group at a time).
    static func resourceGroups(
        _ groups: JSONValue,
        volumeNumbers: [String: [Int64]],
        table: TextTable,
        groupBy: [String],
        showProps: [ShowProp]
    ) -> String {
        var table = table
        for header in Self.resourceGroupHeaders { table.addColumn(header) }
        table.addColumns(showProps)
        table.groupBy = groupBy
        for group in groups.arrayValue {
            let numbers = volumeNumbers[group.text("name")] ?? []
            var row = [
                TextTable.Cell(group.text("name")),
                TextTable.Cell(Self.selectFilterText(group["select_filter"] ?? .object([]))),
                TextTable.Cell(numbers.map(String.init).joined(separator: ",")),
                TextTable.Cell(group.text("description")),
            ]
            row += group.cells(showProps)
            table.addRow(row)
        }
        return table.render()
    }

    /// The select filter as api-py's `SelectFilter.__str__` writes it, one setting per line.
    static func selectFilterText(_ filter: JSONValue) -> String {
        var lines: [String] = []
        func isSet(_ key: String) -> JSONValue? {
            guard let value = filter[key] else { return nil }
            switch value {
            case .null, .bool(false), .integer(0): return nil
            case .string(let text) where text.isEmpty: return nil
            case .array(let items) where items.isEmpty: return nil
            case .object(let members) where members.isEmpty: return nil
            default: return value
            }
        }
        if let count = isSet("place_count") { lines.append("PlaceCount: " + count.displayText) }
        let pools =
            filter["storage_pool_list"]?.arrayValue.map(\.displayText) ?? filter["storage_pool"]?.stringValue.map {
                [$0]
            } ?? []
        if isSet("storage_pool") != nil || !pools.isEmpty {
            lines.append("StoragePool(s): " + pools.joined(separator: ", "))
        }
        if let remaining = filter["diskless_on_remaining"] {
            lines.append("DisklessOnRemaining: " + remaining.displayText)
        }
        let labelled = [
            ("not_place_with_rsc", "NotPlaceWithRsc"), ("not_place_with_rsc_regex", "NotPlaceWithRscRegex"),
            ("replicas_on_same", "ReplicasOnSame"), ("replicas_on_different", "ReplicasOnDifferent"),
            ("x_replicas_on_different_map", "XReplicasOnDifferent"), ("layer_stack", "LayerStack"),
            ("provider_list", "ProviderList"),
        ]
        for (key, label) in labelled {
            if let value = isSet(key) { lines.append(label + ": " + value.displayText) }
        }
        return lines.joined(separator: "\n")
    }

    static func volumeGroups(_ groups: JSONValue, table: TextTable, groupBy: [String], showProps: [ShowProp]) -> String {
        var table = table
        for header in Self.volumeGroupHeaders { table.addColumn(header) }
        table.addColumns(showProps)
        table.groupBy = groupBy
        for group in groups.arrayValue {
            var row = [
                TextTable.Cell(String(group["volume_number"]?.int64Value ?? 0)),
                TextTable.Cell(group.flags.joined(separator: ", ")),
            ]
            row += group.cells(showProps)
            table.addRow(row)
        }
        return table.render()
    }
}
