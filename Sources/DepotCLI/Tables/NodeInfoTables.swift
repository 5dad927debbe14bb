import DepotClient

/// `node info`: which storage providers and resource layers each satellite supports.
enum NodeInfoTables {
    static let providers = [
        "Diskless", "LVM", "LVMThin", "ZFS/Thin", "File/Thin", "SPDK", "Remote_SPDK", "Storage_Spaces",
        "Storage_Spaces/Thin",
    ]
    static let layers = ["DRBD", "LUKS", "NVMe", "Cache", "BCache", "WriteCache", "Storage"]

    static func render(_ nodes: JSONValue, makeTable: () -> TextTable, full: Bool) -> String {
        var providerTable = makeTable()
        var layerTable = makeTable()
        providerTable.addColumn("Node")
        layerTable.addColumn("Node")
        for header in Self.providers { providerTable.addColumn(header) }
        for header in Self.layers { layerTable.addColumn(header) }
        var providerNotes = ""
        var layerNotes = ""
        for node in nodes.arrayValue where ["SATELLITE", "COMBINED"].contains(node.text("type").uppercased()) {
            let name = node.text("name")
            if node.text("connection_status") != "ONLINE" {
                providerNotes += " \(name): NODE IS OFFLINE!\n"
                layerNotes += " \(name): NODE IS OFFLINE!\n"
            } else {
                providerNotes += Self.reasons(node["unsupported_providers"], node: name)
                layerNotes += Self.reasons(node["unsupported_layers"], node: name)
            }
            let supportedProviders = (node["storage_providers"]?.arrayValue ?? []).map {
                $0.displayText.replacingUnderscoresWithNothing()
            }
            let supportedLayers = (node["resource_layers"]?.arrayValue ?? []).map {
                $0.displayText.replacingUnderscoresWithNothing()
            }
            providerTable.addRow(
                [TextTable.Cell(name)]
                    + Self.providers.map { header in
                        let key = header.replacingUnderscoresWithNothing().uppercased().split(separator: "/").joined()
                        return Self.mark(supportedProviders.contains(key))
                    }
            )
            layerTable.addRow(
                [TextTable.Cell(name)] + Self.layers.map { Self.mark(supportedLayers.contains($0.uppercased())) }
            )
        }
        var text = providerTable.render()
        if full, !providerNotes.isEmpty { text += "Unsupported storage providers:\n" + providerNotes }
        text += "\n" + layerTable.render()
        if full, !layerNotes.isEmpty { text += "Unsupported resource layers:\n" + layerNotes }
        return text
    }

    private static func mark(_ supported: Bool) -> TextTable.Cell {
        supported ? TextTable.Cell("+", .green) : TextTable.Cell("-", .red)
    }

    private static func reasons(_ map: JSONValue?, node: String) -> String {
        let entries = map?.objectMembers ?? []
        guard !entries.isEmpty else { return "" }
        var text = " \(node): \n"
        for (kind, reasons) in entries {
            for reason in reasons.arrayValue { text += "  \(kind): \(reason.displayText)\n" }
        }
        return text
    }
}

extension String {
    /// `REMOTE_SPDK` → `REMOTESPDK`, as LINSTOR's client compares provider names.
    func replacingUnderscoresWithNothing() -> String {
        String(self.filter { $0 != "_" })
    }
}
