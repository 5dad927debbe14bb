import DepotClient

/// `depot physical-storage list|create-device-pool` (`ps`): the nodes' unused disks, and pools made
/// on them (linstor-client `physical_storage_cmds.py`).
@MainActor
enum PhysicalStorageCommands {
    static let providerKinds = ["lvm", "lvmthin", "zfs", "zfsthin", "spdk"]

    static func make() -> CommandSpec {
        CommandSpec(
            group: "physical-storage",
            aliases: ["ps"],
            "Physical-storage subcommands",
            [
                CommandSpec(
                    "list",
                    aliases: ["l"],
                    "Prints a list of all physical storage available for Depot use: disks over 1 GiB without a filesystem or other signature, without partitions or other children, not DRBD devices and not in use.",
                    options: [CommonOptions.pastable],
                    action: Self.list
                ),
                CommandSpec(
                    "create-device-pool",
                    aliases: ["cdp"],
                    "Creates an LVM or ZFS(thin) pool on the disks, and with --storage-pool the storage pool on it.",
                    options: [
                        OptionSpec(["--pool-name"], .single, help: "Name of the new pool"),
                        OptionSpec(["--vdo-enable"], help: "Use VDO (refused: Depot does not set up VDO)"),
                        OptionSpec(["--vdo-logical-size"], .single, help: "VDO logical size."),
                        OptionSpec(["--vdo-slab-size"], .single, help: "VDO slab size."),
                        OptionSpec(["--storage-pool"], .single, help: "Create a storage pool with the given name"),
                        OptionSpec(["--sed"], help: "Set up a self-encrypting drive (refused: Depot does not set up SED)"),
                        OptionSpec(["--pv-create-arguments"], .zeroOrMore, help: "Arguments to pass to pvcreate", appends: true),
                        OptionSpec(["--vg-create-arguments"], .zeroOrMore, help: "Arguments to pass to vgcreate", appends: true),
                        OptionSpec(["--lv-create-arguments"], .zeroOrMore, help: "Arguments to pass to lvcreate", appends: true),
                        OptionSpec(["--zpool-create-arguments"], .zeroOrMore, help: "Arguments to pass to zpool create", appends: true),
                    ],
                    positionals: [
                        PositionalSpec("provider_kind", help: "Provider kind", metavar: "{" + Self.providerKinds.joined(separator: ",") + "}"),
                        PositionalSpec("node_name", help: "Node name"),
                        PositionalSpec("device_paths", .oneOrMore, help: "List of full device paths to use"),
                    ],
                    action: Self.createDevicePool
                ),
            ]
        )
    }

    static func list(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        var table = invocation.makeTable()
        return try await invocation.list(.physicalStorage, shape: .unchanged) { groups in
            for column in ["Size", "Rotational", "Nodes"] { table.addColumn(column) }
            for group in groups.arrayValue {
                let nodes = (group["nodes"]?.objectMembers ?? []).map { node, devices in
                    node + "[" + devices.arrayValue.map(Self.device).joined(separator: ",") + "]"
                }
                table.addRow([
                    .init(group["size"]?.int64Value.map(String.init) ?? ""),
                    .init(group["rotational"]?.boolValue == true ? "True" : "False"),
                    .init(nodes.joined(separator: "\n")),
                ])
            }
            return table.render()
        }
    }

    /// `/dev/sdb(serial,wwn)`, as linstor-client writes a disk.
    private static func device(_ device: JSONValue) -> String {
        let marks = [device["serial"]?.stringValue, device["wwn"]?.stringValue].compactMap { $0 }.filter { !$0.isEmpty }
        return (device["device"]?.stringValue ?? "") + (marks.isEmpty ? "" : "(" + marks.joined(separator: ",") + ")")
    }

    static func createDevicePool(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        let arguments = invocation.arguments
        let kind = arguments.required("provider_kind").lowercased()
        guard Self.providerKinds.contains(kind) else {
            let allowed = Self.providerKinds.map { "'\($0)'" }.joined(separator: ", ")
            throw CLIFailure.usage("argument provider_kind: invalid choice: '\(kind)' (choose from \(allowed))")
        }
        var body: [(String, JSONValue)] = [
            ("device_paths", .array((arguments.strings("device_paths") ?? []).map(JSONValue.string))), ("provider_kind", .string(kind)),
            ("pool_name", arguments.string("pool_name").map(JSONValue.string) ?? .null), ("vdo_enable", .bool(arguments.flag("vdo_enable"))),
        ]
        if let pool = arguments.string("storage_pool") { body.append(("with_storage_pool", .makeObject([("name", .string(pool))]))) }
        if arguments.flag("sed") { body.append(("sed", .bool(true))) }
        for tool in ["pv", "vg", "lv", "zpool"] {
            let words = arguments.strings("\(tool)_create_arguments") ?? []
            if !words.isEmpty { body.append(("\(tool)_create_arguments", .array(words.map(JSONValue.string)))) }
        }
        return try await invocation.reply(.createDevicePool(arguments.required("node_name"), .makeObject(body)))
    }
}
