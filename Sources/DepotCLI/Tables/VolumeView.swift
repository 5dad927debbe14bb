import DepotClient

/// Reading a volume of `/v1/view/resources` the way LINSTOR's client does (api-py `responses.py`).
struct VolumeView {
    let raw: JSONValue

    init(_ raw: JSONValue) { self.raw = raw }

    var layers: [JSONValue] { self.raw["layer_data_list"]?.arrayValue ?? [] }

    /// DRBD is the top layer, so a disk state is expected.
    var expectsDiskState: Bool { self.layers.first?.text("type") == "DRBD" }

    var diskState: String? { self.raw["state"]?["disk_state"]?.stringValue }

    var drbdData: JSONValue? { self.layers.first { $0.text("type") == "DRBD" }?["data"] }

    var minor: Int64? { self.drbdData?["drbd_volume_definition"]?["minor_number"]?.int64Value }

    /// LINSTOR's volume state cell (`VolumeCommands.volume_state_cell`).
    func stateCell(resourceFlags: [String]) -> (String, TerminalColor?) {
        let prefix = self.raw.flags.contains("RESIZE") ? "Resizing, " : ""
        guard self.expectsDiskState else { return (prefix + "Created", nil) }
        guard let disk = self.diskState else { return (prefix + "Unknown", .yellow) }
        // Depot says when DRBD froze a device's I/O: nothing reaches the disk, whatever its state.
        if disk.contains("I/O suspended") { return (prefix + disk, .red) }
        switch disk {
        case "DUnknown":
            return (prefix + "Unknown", .yellow)
        case "Diskless":
            if !resourceFlags.contains("DISKLESS") { return (prefix + disk, .red) }
            if resourceFlags.contains("TIE_BREAKER") { return ("TieBreaker", nil) }
            return (prefix + disk, nil)
        case "Inconsistent", "Failed", "To: Creating", "To: Attachable", "To: Attaching":
            return (prefix + disk, .red)
        case "UpToDate", "Created", "Attached":
            return (prefix + disk, nil)
        default:
            return (prefix + disk, .yellow)
        }
    }
}

/// Reading a resource of `/v1/view/resources`.
struct ResourceView {
    let raw: JSONValue

    init(_ raw: JSONValue) { self.raw = raw }

    var name: String { self.raw.text("name") }
    var nodeName: String { self.raw.text("node_name") }
    var volumes: [VolumeView] { (self.raw["volumes"]?.arrayValue ?? []).map(VolumeView.init) }
    var inUse: Bool? { self.raw["state"]?["in_use"]?.boolValue }

    /// The layer types from the top down, each once (`DRBD,STORAGE`).
    var layerStack: [String] {
        var stack: [String] = []
        func visit(_ layer: JSONValue) {
            let type = layer.text("type")
            if !stack.contains(type) { stack.append(type) }
            for child in layer["children"]?.arrayValue ?? [] { visit(child) }
        }
        if let top = self.raw["layer_object"] { visit(top) }
        return stack
    }

    var drbd: JSONValue? {
        guard let top = self.raw["layer_object"], top.text("type") == "DRBD" else { return nil }
        return top["drbd"]
    }

    /// `", SkipDisk (R, RD)"` when `DrbdOptions/SkipDisk` is in effect, else empty.
    var skipDiskSuffix: String {
        guard let effective = self.raw["effective_props"]?["DrbdOptions/SkipDisk"], effective.text("value") == "True"
        else {
            return ""
        }
        let short = ["SATELLITE": "C", "NODE": "N", "RESOURCE_DEFINITION": "RD", "RESOURCE": "R", "STORAGEPOOL": "SP"]
        var places = [short[effective.text("type")] ?? effective.text("type")]
        places += (effective["other"]?.arrayValue ?? []).map { short[$0.text("type")] ?? $0.text("type") }
        return ", SkipDisk (" + places.joined(separator: ", ") + ")"
    }

    static func skipDiskExplanation(colors: Bool) -> String {
        TerminalColor.yellow.wrap("SkipDisk", enabled: colors) + ":\n"
            + "  At least one resource has 'DrbdOptions/SkipDisk' enabled. This indicates an IO error on the\n"
            + "  affected resource(s). Remove this property (using 'linstor resource set-property $node $rsc DrbdOptions/SkipDisk') \n"
            + "  to instruct LINSTOR and DRBD to adjust (and recreate if necessary) the affected logical volumes again.\n"
            + "  For more information please visit: https://linbit.com/drbd-user-guide/linstor-guide-1_0-en/#s-linstor-drbd-skip-disk\n"
    }
}
