import DepotClient

/// `resource-definition list` and `volume-definition list`.
enum DefinitionTables {
    static let resourceDefinitionHeaders = ["ResourceName", "ResourceGroup", "Layers", "State"]
    static let volumeDefinitionHeaders = ["ResourceName", "VolumeNr", "VolumeMinor", "Size", "Gross", "State"]

    static func resourceDefinitions(
        _ definitions: JSONValue,
        table: TextTable,
        groupBy: [String],
        showProps: [ShowProp],
        showExternalName: Bool,
        showPorts: Bool
    ) -> String {
        var table = table
        table.addColumn("ResourceName")
        if showExternalName { table.addColumn("External") }
        if showPorts { table.addColumn("Port") }
        table.addColumn("ResourceGroup")
        table.addColumn("Layers")
        table.addColumn("State")
        table.addColumns(showProps)
        table.groupBy = groupBy
        for definition in definitions.arrayValue {
            var row = [TextTable.Cell(definition.text("name"))]
            if showExternalName { row.append(Self.externalName(definition)) }
            let layers = definition["layer_data"]?.arrayValue ?? []
            if showPorts {
                let port = layers.first { $0.text("type") == "DRBD" && $0["data"] != nil }?["data"]?["port"]?.int64Value
                row.append(TextTable.Cell(port.map(String.init) ?? "-"))
            }
            row.append(TextTable.Cell(definition.text("resource_group_name")))
            row.append(TextTable.Cell(layers.map { $0.text("type") }.joined(separator: ",")))
            let flags = definition.flags
            if flags.contains("DELETE") || flags.contains("FAILED") {
                row.append(TextTable.Cell("DELETE", .red))
            } else if flags.contains("CLONING") || flags.contains("RESTORE_TARGET") {
                row.append(TextTable.Cell("CLONING", .yellow))
            } else {
                row.append(TextTable.Cell("ok", .darkGreen))
            }
            row += definition.cells(showProps)
            table.addRow(row)
        }
        return table.render()
    }

    /// The external name; `-` only for a value that is not a string, as LINSTOR's client shows it.
    private static func externalName(_ definition: JSONValue) -> TextTable.Cell {
        guard let value = definition["external_name"] else { return "" }
        return TextTable.Cell(value.stringValue ?? "-")
    }

    static func volumeDefinitions(
        _ definitions: JSONValue,
        table: TextTable,
        groupBy: [String],
        showProps: [ShowProp],
        showExternalName: Bool
    ) -> String {
        var table = table
        table.addColumn("ResourceName")
        if showExternalName { table.addColumn("External") }
        for header in Self.volumeDefinitionHeaders.dropFirst() {
            table.addColumn(header, color: header == "State" ? .darkGreen : nil)
        }
        table.addColumns(showProps)
        table.groupBy = groupBy
        for definition in definitions.arrayValue {
            for volume in definition["volume_definitions"]?.arrayValue ?? [] {
                let flags = volume.flags
                let state: TextTable.Cell =
                    flags.contains("DELETE")
                    ? TextTable.Cell("DELETING", .red)
                    : flags.contains("RESIZE")
                        ? TextTable.Cell("resizing", .darkPink) : TextTable.Cell("ok", .darkGreen)
                let minor = (volume["layer_data"]?.arrayValue ?? []).first {
                    $0.text("type") == "DRBD" && $0["data"] != nil
                }?[
                    "data"
                ]?["minor_number"]?.int64Value
                var row = [TextTable.Cell(definition.text("name"))]
                if showExternalName { row.append(Self.externalName(definition)) }
                row += [
                    TextTable.Cell(String(volume["volume_number"]?.int64Value ?? 0)),
                    TextTable.Cell(minor.map(String.init) ?? ""),
                    TextTable.Cell(SizeSyntax.approximate(kib: volume["size_kib"]?.int64Value ?? 0)),
                    TextTable.Cell(flags.contains("GROSS_SIZE") ? "+" : ""), state,
                ]
                row += volume.cells(showProps)
                table.addRow(row)
            }
        }
        return table.render()
    }
}
