import DepotClient
import Foundation

/// `resource list` and `volume list` / `resource list-volumes` (linstor-client `rsc_cmds.py`, `vlm_cmds.py`).
enum ResourceTables {
    static let resourceHeaders = ["ResourceName", "Node", "Layers", "Usage", "Conns", "State", "CreatedOn"]
    static let volumeHeaders = [
        "Resource", "Node", "StoragePool", "VolNr", "MinorNr", "DeviceName", "Allocated", "InUse", "State", "Repl",
    ]

    struct ResourceListOptions {
        var groupBy: [String]
        var showProps: [ShowProp]
        var showDRBDPorts = false
        var faultyOnly = false
    }

    static func resources(_ list: JSONValue, table: TextTable, options: ResourceListOptions) -> String {
        var table = table
        table.addColumn("ResourceName")
        table.addColumn("Node")
        if options.showDRBDPorts { table.addColumn("DRBD Ports") }
        table.addColumn("Layers")
        table.addColumn("Usage")
        table.addColumn("Conns", color: .darkGreen)
        table.addColumn("State", color: .darkGreen, alignRight: true)
        table.addColumn("CreatedOn")
        table.addColumns(options.showProps)
        table.groupBy = options.groupBy
        let resources = list.arrayValue.map(ResourceView.init)
        let primaries = Self.primaryCounts(resources)
        var showSkipDisk = false
        for resource in resources {
            let flags = resource.raw.flags
            var state = "Unknown"
            var stateColor: TerminalColor? = .yellow
            var usage = TextTable.Cell("")
            if flags.contains("DELETE") || flags.contains("DRBD_DELETE") {
                state = "DELETING"
                stateColor = .red
            } else if flags.contains("INACTIVE") {
                state = "INACTIVE"
            } else {
                if let inUse = resource.inUse {
                    usage =
                        inUse
                        ? TextTable.Cell("InUse", primaries[resource.name, default: 0] > 1 ? .yellow : .green)
                        : "Unused"
                }
                for volume in resource.volumes {
                    (state, stateColor) = volume.stateCell(resourceFlags: flags)
                    if flags.contains("EVACUATE") { state += ", Evacuating" }
                    if stateColor != nil { break }
                }
            }
            let skipDisk = resource.skipDiskSuffix
            if !skipDisk.isEmpty {
                state += skipDisk
                showSkipDisk = true
                if stateColor == nil || stateColor == .green { stateColor = .yellow }
            }
            var conns = TextTable.Cell("")
            var failed = false
            var ports: [String] = []
            if state != "Unknown" {
                var failures: [(String, [String])] = []
                if let drbd = resource.drbd {
                    ports = (drbd["tcp_ports"]?.arrayValue ?? []).compactMap(\.int64Value).map(String.init)
                    for (peer, connection) in drbd["connections"]?.objectMembers ?? []
                    where connection["connected"]?.boolValue != true {
                        let message = connection["message"]?.displayText ?? "None"
                        if let index = failures.firstIndex(where: { $0.0 == message }) {
                            failures[index].1.append(peer)
                        } else {
                            failures.append((message, [peer]))
                        }
                    }
                }
                failed = !failures.isEmpty
                conns =
                    failed
                    ? TextTable.Cell(
                        failures.map { "\($0.0)(\($0.1.joined(separator: ",")))" }.joined(separator: ","),
                        .red
                    ) : "Ok"
            }
            if options.faultyOnly, stateColor == nil, !failed { continue }
            var row = [TextTable.Cell(resource.name), TextTable.Cell(resource.nodeName)]
            if options.showDRBDPorts { row.append(TextTable.Cell(ports.joined(separator: ", "))) }
            row += [
                TextTable.Cell(resource.layerStack.joined(separator: ",")), usage, conns,
                TextTable.Cell(state, failed ? .red : stateColor),
                TextTable.Cell(
                    resource.raw["create_timestamp"]?.int64Value.map { LocalTime.format(milliseconds: $0) } ?? ""
                ),
            ]
            row += resource.raw.cells(options.showProps)
            table.addRow(row)
        }
        return table.render() + (showSkipDisk ? ResourceView.skipDiskExplanation(colors: table.colors) : "")
            + QuorumNote.text(QuorumNote.unprotected(resources), colors: table.colors)
    }

    static func volumes(
        _ list: JSONValue,
        table: TextTable,
        showProps: [ShowProp],
        hideReplication: Bool,
        printer: ReplyPrinter
    ) -> String {
        var table = table
        for header in Self.volumeHeaders where !(hideReplication && header == "Repl") {
            let right = ["VolNr", "MinorNr", "Allocated", "State"].contains(header)
            table.addColumn(header, color: header == "State" ? .darkGreen : nil, alignRight: right)
        }
        table.addColumns(showProps)
        let resources = list.arrayValue.map(ResourceView.init)
        let primaries = Self.primaryCounts(resources)
        var reports: [ApiCallReply] = []
        var showSkipDisk = false
        for resource in resources {
            let flags = resource.raw.flags
            if flags.contains("INACTIVE"), !flags.contains("EVICTED") { continue }
            var usage = TextTable.Cell("")
            if let inUse = resource.inUse {
                usage =
                    inUse
                    ? TextTable.Cell("InUse", primaries[resource.name, default: 0] > 1 ? .yellow : .green) : "Unused"
            }
            let skipDisk = resource.skipDiskSuffix
            let connectionFailed = (resource.drbd?["connections"]?.objectMembers ?? []).contains {
                $0.value["connected"]?.boolValue != true
            }
            for volume in resource.volumes {
                var (stateText, color) =
                    flags.contains("INACTIVE")
                    ? ("INACTIVE", TerminalColor.yellow) : volume.stateCell(resourceFlags: flags)
                if connectionFailed { color = .red }
                if !skipDisk.isEmpty {
                    if color == nil || color == .green { color = .yellow }
                    stateText += skipDisk
                    showSkipDisk = true
                }
                let volumeReports = (volume.raw["reports"]?.arrayValue ?? []).map(ApiCallReply.init(raw:))
                reports += volumeReports
                let state =
                    volumeReports.contains(where: \.isError)
                    ? TextTable.Cell("Error", .red) : TextTable.Cell(stateText, color)
                let allocated =
                    volume.raw["allocated_size_kib"]?.int64Value.flatMap {
                        $0 == 0 ? nil : SizeSyntax.approximate(kib: $0)
                    } ?? ""
                var row = [
                    TextTable.Cell(resource.name), TextTable.Cell(resource.nodeName),
                    TextTable.Cell(volume.raw.text("storage_pool_name")),
                    TextTable.Cell(String(volume.raw["volume_number"]?.int64Value ?? 0)),
                    TextTable.Cell(volume.minor.map(String.init) ?? ""),
                    TextTable.Cell(volume.raw["device_path"]?.displayText ?? "None"),
                    TextTable.Cell(allocated), usage, state,
                ]
                if !hideReplication { row.append(Self.replicationCell(volume)) }
                row += volume.raw.cells(showProps)
                table.addRow(row)
            }
        }
        return table.render() + (showSkipDisk ? ResourceView.skipDiskExplanation(colors: table.colors) : "")
            + printer.render(reports).text
    }

    /// `Established(N)` when every peer is established, else one `peer: State(42.00%)` line per peer.
    static func replicationCell(_ volume: VolumeView) -> TextTable.Cell {
        let states = volume.raw["state"]?["replication_states"]?.objectMembers ?? []
        guard !states.isEmpty else { return "" }
        let established = states.filter { $0.value.text("replication_state") == "Established" }.count
        if established == states.count { return TextTable.Cell("Established(\(established))", .green) }
        var isVerifying = false
        let lines = states.map { peer, value -> String in
            let state = value.text("replication_state")
            if state == "VerifyT" { isVerifying = true }
            let percent =
                value["done_percentage"].flatMap { $0.isNull ? nil : $0 }.map {
                    String(format: "%.2f%%", Self.number($0))
                } ?? "?"
            if ["SyncTarget", "PausedSyncS", "PausedSyncT", "VerifyT"].contains(state) {
                return "\(peer): \(state)(\(percent))"
            }
            return "\(peer): \(state)"
        }
        return TextTable.Cell(lines.joined(separator: "\n"), isVerifying ? .gray : .yellow)
    }

    private static func number(_ value: JSONValue) -> Double {
        switch value {
        case .double(let number): number
        case .integer(let number): Double(number)
        default: 0
        }
    }

    /// How many replicas of each resource are in use (two primaries show yellow).
    private static func primaryCounts(_ resources: [ResourceView]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for resource in resources where resource.inUse == true {
            counts[resource.name, default: 0] += 1
        }
        return counts
    }
}
