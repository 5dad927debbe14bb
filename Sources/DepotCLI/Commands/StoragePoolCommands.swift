import DepotClient
import DepotModel

/// `depot storage-pool …` (`sp`): storage pools (linstor-client `storpool_cmds.py`).
@MainActor
enum StoragePoolCommands {
    /// `sp create` kinds: command word, alias, provider kind, and the driver-pool argument's help.
    static let kinds: [(String, [String], String, String?)] = [
        ("lvm", [], "LVM", "The Lvm volume group to use."),
        ("lvmthin", [], "LVM_THIN", "The LvmThin volume group to use. The full name of the thin pool, namely VG/LV"),
        ("zfs", [], "ZFS", "The name of the zpool to use."),
        ("zfsthin", [], "ZFS_THIN", "The name of the zpool to use."),
        ("diskless", [], "DISKLESS", nil),
        ("file", [], "FILE", "The directory to use."),
        ("filethin", [], "FILE_THIN", "The directory to use."),
        ("spdk", [], "SPDK", "The name of the logical volume store to use."),
        ("remotespdk", [], "REMOTE_SPDK", "The name of the logical volume store to use."),
        ("storagespaces", [], "STORAGE_SPACES", "The name of the storage pool to use."),
        ("storagespacesthin", [], "STORAGE_SPACES_THIN", "The name of the storage pool to use."),
    ]

    static func make() -> CommandSpec {
        CommandSpec(
            group: "storage-pool",
            aliases: ["sp"],
            "Storage pool subcommands",
            [
                CommandSpec(
                    group: "create",
                    aliases: ["c"],
                    "Create a storage pool",
                    Self.kinds.map(Self.createCommand)
                ),
                CommandSpec(
                    "list",
                    aliases: ["l"],
                    "Prints a list of all storage pool known to LINSTOR. By default, the list is printed as a human readable table.",
                    options: [
                        CommonOptions.pastable, CommonOptions.groupBy(StoragePoolTables.headers),
                        OptionSpec(["-s", "--storage-pools"], .oneOrMore, help: "Filter by list of storage pools"),
                        CommonOptions.nodesFilter, CommonOptions.props, CommonOptions.showPropsLong,
                        CommonOptions.fromFile,
                    ],
                    action: Self.list
                ),
                CommandSpec(
                    "delete",
                    aliases: ["d"],
                    "Removes a storage pool.",
                    options: [
                        OptionSpec(["-q", "--quiet"], help: "Unused, kept for compatibility", isHidden: true),
                        CommonOptions.async,
                    ],
                    positionals: [
                        PositionalSpec(
                            "node_name",
                            .oneOrMore,
                            help: "Names of the nodes where the storage pool exists."
                        ),
                        PositionalSpec("name", help: "Name of the storage pool to delete"),
                    ],
                    action: { invocation throws(CLIFailure) in
                        let name = invocation.arguments.required("name")
                        let nodes = invocation.arguments.strings("node_name") ?? []
                        return try await invocation.reply(nodes.map { .deleteStoragePool($0, name) })
                    }
                ),
                CommandSpec(
                    "set-property",
                    aliases: ["sp"],
                    "Sets properties for the given storage pool on the given node.",
                    options: [CommonOptions.aux],
                    positionals: [
                        PositionalSpec("node_name", help: "Node name where storage pool resides."),
                        PositionalSpec("name", help: "Name of the storage pool"),
                    ] + CommonOptions.keyValue(.storagePool),
                    action: { invocation throws(CLIFailure) in
                        try await invocation.reply(
                            .modifyStoragePool(
                                invocation.arguments.required("node_name"),
                                invocation.arguments.required("name"),
                                invocation.propertyChangeBody()
                            )
                        )
                    }
                ),
                CommandSpec(
                    "list-properties",
                    aliases: ["lp"],
                    "Prints all properties of the given storage pool.",
                    options: [CommonOptions.pastable],
                    positionals: [
                        PositionalSpec("node_name", help: "Name of the node for the storage pool"),
                        PositionalSpec("storage_pool_name", help: "Name of the storage pool"),
                    ],
                    action: { invocation throws(CLIFailure) in
                        let pools = try await invocation.fetch(
                            .storagePools(
                                nodes: [invocation.arguments.required("node_name")],
                                pools: [invocation.arguments.required("storage_pool_name")]
                            )
                        )
                        return invocation.printProperties(pools.arrayValue.first?.props)
                    }
                ),
            ]
        )
    }

    private static func createCommand(_ kind: (String, [String], String, String?)) -> CommandSpec {
        var positionals = [
            PositionalSpec("node_name", help: "Name of the node for the new storage pool"),
            PositionalSpec("name", help: "Name of the new storage pool"),
        ]
        var options: [OptionSpec] = []
        if let poolHelp = kind.3 {
            positionals.append(PositionalSpec("driver_pool_name", help: poolHelp))
            options = [
                OptionSpec(
                    ["--shared-space"],
                    .single,
                    help:
                        "Unique identifier of backing storage shared by multiple nodes. If omitted Linstor will assume the pool is unique for each node."
                ),
                OptionSpec(["--external-locking"], help: "Skip Linstors internal locking for shared storage pools"),
            ]
        }
        return CommandSpec(
            kind.0,
            aliases: kind.1,
            "Create a \(kind.2) storage pool",
            options: options,
            positionals: positionals
        ) { invocation throws(CLIFailure) in
            let arguments = invocation.arguments
            var body: [(String, JSONValue)] = [
                ("storage_pool_name", .string(arguments.required("name"))), ("provider_kind", .string(kind.2)),
            ]
            if let shared = arguments.string("shared_space") { body.append(("free_space_mgr_name", .string(shared))) }
            if arguments.flag("external_locking") { body.append(("external_locking", .bool(true))) }
            if let pool = arguments.string("driver_pool_name") {
                body.append(("props", .stringMap([("StorDriver/StorPoolName", pool)])))
            }
            return try await invocation.reply(.createStoragePool(arguments.required("node_name"), .makeObject(body)))
        }
    }

    static func list(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        var invocation = invocation
        invocation.mergeConfig(section: "storage-pool.list")
        let arguments = invocation.arguments
        let table = invocation.makeTable()
        let request = RESTRequest.storagePools(
            nodes: arguments.strings("nodes"),
            pools: arguments.strings("storage_pools"),
            props: arguments.strings("props")
        )
        return try await invocation.list(request, shape: .storagePools) { pools in
            StoragePoolTables.list(
                pools,
                table: table,
                groupBy: invocation.groupBy(default: "StoragePool"),
                showProps: invocation.showPropColumns(),
                printer: invocation.printer
            )
        }
    }
}
