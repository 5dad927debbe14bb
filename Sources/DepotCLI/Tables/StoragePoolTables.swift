import DepotClient

/// `storage-pool list`: capacities right-aligned, the pools' reports printed after the table.
enum StoragePoolTables {
    static let headers = [
        "StoragePool", "Node", "Driver", "PoolName", "FreeCapacity", "TotalCapacity", "CanSnapshots", "State",
        "SharedName",
    ]

    static func list(
        _ pools: JSONValue,
        table: TextTable,
        groupBy: [String],
        showProps: [ShowProp],
        printer: ReplyPrinter
    ) -> String {
        var table = table
        for header in Self.headers {
            table.addColumn(header, alignRight: header.hasSuffix("Capacity"))
        }
        table.addColumns(showProps)
        table.groupBy = groupBy
        var reports: [ApiCallReply] = []
        for pool in pools.arrayValue {
            let kind = pool.text("provider_kind")
            var free = ""
            var total = ""
            if !["DISKLESS", "EBS_INIT", "EBS_TARGET"].contains(kind), let freeKiB = pool["free_capacity"]?.int64Value {
                free = SizeSyntax.approximate(kib: freeKiB)
                total = SizeSyntax.approximate(kib: pool["total_capacity"]?.int64Value ?? 0)
            }
            let poolReports = (pool["reports"]?.arrayValue ?? []).map(ApiCallReply.init(raw:))
            for report in poolReports where !reports.contains(where: { $0.raw == report.raw }) {
                reports.append(report)
            }
            let state: TextTable.Cell =
                poolReports.contains(where: \.isError)
                ? TextTable.Cell("Error", .red)
                : poolReports.contains(where: \.isWarning)
                    ? TextTable.Cell("Warning", .yellow) : TextTable.Cell("Ok", .green)
            let sharedName = pool.text("free_space_mgr_name")
            var row: [TextTable.Cell] = [
                TextTable.Cell(pool.text("storage_pool_name")), TextTable.Cell(pool.text("node_name")),
                TextTable.Cell(kind),
                TextTable.Cell(Self.driverPool(pool)), TextTable.Cell(free), TextTable.Cell(total),
                TextTable.Cell(Self.supportsSnapshots(pool) ? "True" : "False"), state,
                TextTable.Cell(sharedName.contains(":") ? "" : sharedName),
            ]
            row += pool.cells(showProps)
            table.addRow(row)
        }
        return table.render() + printer.render(reports).text
    }

    /// The backing pool (`StorDriver/StorPoolName`, or the older per-driver keys).
    static func driverPool(_ pool: JSONValue) -> String {
        let props = pool.props
        if let name = props["StorDriver/StorPoolName"] { return name.displayText }
        switch pool.text("provider_kind") {
        case "LVM", "SPDK": return props["StorDriver/LvmVg"]?.displayText ?? ""
        case "LVM_THIN":
            return (props["StorDriver/LvmVg"]?.displayText ?? "") + "/"
                + (props["StorDriver/ThinPool"]?.displayText ?? "")
        case "ZFS": return props["StorDriver/ZPool"]?.displayText ?? ""
        case "ZFS_THIN": return props["StorDriver/ZPoolThin"]?.displayText ?? ""
        default: return ""
        }
    }

    static func supportsSnapshots(_ pool: JSONValue) -> Bool {
        if let value = pool["supports_snapshots"]?.boolValue { return value }
        return pool["static_traits"]?["SupportsSnapshots"]?.stringValue == "true"
    }
}
