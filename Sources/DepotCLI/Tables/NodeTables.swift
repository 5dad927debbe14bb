import DepotClient
import Foundation

/// The node tables: `node list` and `node interface list`.
enum NodeTables {
    static let headers = ["Node", "NodeType", "Addresses", "State"]

    /// LINSTOR's connection-status texts and colours.
    static let states: [String: (String, TerminalColor)] = [
        "OFFLINE": ("OFFLINE", .red),
        "CONNECTED": ("Connected", .yellow),
        "ONLINE": ("Online", .green),
        "VERSION_MISMATCH": ("OFFLINE(VERSION MISMATCH)", .red),
        "FULL_SYNC_FAILED": ("OFFLINE(FULL SYNC FAILED)", .red),
        "MISSING_EXT_TOOLS": ("OFFLINE(MISSING EXTERNAL TOOLS)", .red),
        "AUTHENTICATION_ERROR": ("OFFLINE(AUTHENTICATION ERROR)", .red),
        "UNKNOWN": ("Unknown", .yellow),
        "HOSTNAME_MISMATCH": ("OFFLINE(HOSTNAME MISMATCH)", .red),
        "OTHER_CONTROLLER": ("OFFLINE(OTHER_CONTROLLER)", .red),
        "NO_STLT_CONN": ("OFFLINE(NO CONNECTION TO SATELLITE)", .red),
    ]

    /// `node list`; the eviction hint follows the table when an offline node will be evicted.
    static func list(
        _ nodes: JSONValue,
        table: TextTable,
        groupBy: [String],
        showProps: [ShowProp],
        showAuxProps: Bool
    ) -> String {
        var table = table
        table.addColumn("Node")
        table.addColumn("NodeType")
        table.addColumn("Addresses")
        if showAuxProps { table.addColumn("AuxProps") }
        table.addColumn("State", color: .darkGreen)
        table.addColumns(showProps)
        table.groupBy = groupBy
        func status(_ node: JSONValue) -> (String, TerminalColor) {
            let name = node.text("connection_status")
            return Self.states[name] ?? (name, .yellow)
        }
        let showEviction = nodes.arrayValue.contains { node in
            node["eviction_timestamp"]?.int64Value != nil && status(node).0 == "OFFLINE"
                && !node.flags.contains("EVICTED")
        }
        for node in nodes.arrayValue {
            var address = ""
            for interface in node["net_interfaces"]?.arrayValue ?? [] {
                if interface["is_active"]?.boolValue == true, let port = interface["satellite_port"]?.int64Value,
                    port != 0
                {
                    address = "\(interface.text("address")):\(port) (\(interface.text("satellite_encryption_type")))"
                }
            }
            var state: (String, TerminalColor)
            if node.flags.contains("EVICTED") {
                state = ("EVICTED", .red)
            } else if node.flags.contains("DELETE") {
                state = ("DELETE", .red)
            } else if node.flags.contains("EVACUATE") {
                state = ("EVACUATE", .yellow)
            } else {
                state = status(node)
            }
            if showEviction, status(node).0 == "OFFLINE", !node.flags.contains("EVICTED") {
                let eviction =
                    node["eviction_timestamp"]?.int64Value.map { LocalTime.format(milliseconds: $0) } ?? "Disabled"
                state.0 += " (Auto-eviction at \(eviction))"
            }
            var row: [TextTable.Cell] = [
                TextTable.Cell(node.text("name")), TextTable.Cell(node.text("type")), TextTable.Cell(address),
            ]
            if showAuxProps {
                let aux = node.props.objectMembers.filter { $0.key.hasPrefix("Aux/") }.map {
                    "\($0.key)=\($0.value.displayText)"
                }
                row.append(TextTable.Cell(aux.joined(separator: "\n")))
            }
            row.append(TextTable.Cell(state.0, state.1))
            row += node.cells(showProps)
            table.addRow(row)
        }
        var text = table.render()
        if showEviction {
            text +=
                "To cancel automatic eviction please consider the corresponding DrbdOptions/AutoEvict* properties on "
                + "controller and / or node level\n"
            text +=
                "See 'linstor controller set-property --help' or 'linstor node set-property --help' for more details\n"
        }
        return text
    }

    /// `node interface list NODE`: the node's name heads the first column.
    static func interfaces(_ node: JSONValue, table: TextTable) -> String {
        var table = table
        table.addColumn(node.text("name"), color: .green)
        table.addColumn("NetInterface")
        table.addColumn("IP")
        table.addColumn("Port")
        table.addColumn("EncryptionType")
        for interface in node["net_interfaces"]?.arrayValue ?? [] {
            let port = interface["satellite_port"]?.int64Value.flatMap { $0 == 0 ? nil : String($0) } ?? ""
            table.addRow([
                TextTable.Cell(interface["is_active"]?.boolValue == true ? "+ StltCon" : "+"),
                TextTable.Cell(interface.text("name")),
                TextTable.Cell(interface.text("address")),
                TextTable.Cell(port),
                TextTable.Cell(interface.text("satellite_encryption_type")),
            ])
        }
        return table.render()
    }
}

/// Local date and time as LINSTOR's client prints timestamps (`str(datetime)[:19]`).
enum LocalTime {
    static func format(milliseconds: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone.current
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}
