import DepotClient
import DepotModel

/// `depot snapshot …` (`s`) (linstor-client `snapshot_cmds.py`).
@MainActor
enum SnapshotCommands {
    static let restoreOptions = [
        OptionSpec(
            ["--from-resource", "--fr"],
            .single,
            help: "Name of the resource definition containing the snapshot"
        ),
        OptionSpec(["--from-snapshot", "--fs"], .single, help: "Name of the snapshot to restore from"),
        OptionSpec(["--to-resource", "--tr"], .single, help: "Name of the resource definition to restore to"),
    ]

    static func make() -> CommandSpec {
        let resourceAndSnapshot = [
            PositionalSpec("resource_definition_name", help: "Name of the resource definition"),
            PositionalSpec("snapshot_name", help: "Name of the snapshot"),
        ]
        return CommandSpec(
            group: "snapshot",
            aliases: ["s"],
            "Snapshot subcommands",
            [
                CommandSpec(
                    "create",
                    aliases: ["c"],
                    "Creates a snapshot of a resource on the given nodes (default: every node with the resource).",
                    options: [CommonOptions.async],
                    positionals: [
                        PositionalSpec(
                            "node_name",
                            .zeroOrMore,
                            help: "Names of the nodes where the snapshot should be created"
                        )
                    ]
                        + resourceAndSnapshot,
                    action: { invocation throws(CLIFailure) in
                        let arguments = invocation.arguments
                        var body: [(String, JSONValue)] = [("name", .string(arguments.required("snapshot_name")))]
                        if let nodes = arguments.strings("node_name"), !nodes.isEmpty {
                            body.append(("nodes", .strings(nodes)))
                        }
                        return try await invocation.reply(
                            .createSnapshot(arguments.required("resource_definition_name"), .makeObject(body))
                        )
                    }
                ),
                CommandSpec(
                    "create-multiple",
                    aliases: ["cm"],
                    "Creates a snapshot of several resources at once: I/O is held on all of them until every snapshot is taken.",
                    options: [
                        OptionSpec(["-n", "--node-names", "--node_names"], .oneOrMore, help: "Names of the nodes where the snapshots should be created"),
                        OptionSpec(["-r", "--resource-names", "--resource_names"], .oneOrMore, help: "Names of the resource definitions"),
                        CommonOptions.async,
                    ],
                    positionals: [PositionalSpec("snapshot_name", help: "Name of the snapshot")],
                    action: { invocation throws(CLIFailure) in
                        let arguments = invocation.arguments
                        let name = arguments.required("snapshot_name")
                        let nodes = arguments.strings("node_names") ?? []
                        let resources = arguments.strings("resource_names") ?? []
                        guard !resources.isEmpty else { throw CLIFailure.usage("the following arguments are required: -r/--resource-names") }
                        let snapshots: [JSONValue] = resources.map { resource in
                            var entry: [(String, JSONValue)] = [("name", .string(name)), ("resource_name", .string(resource))]
                            if !nodes.isEmpty { entry.append(("nodes", .strings(nodes))) }
                            return .makeObject(entry)
                        }
                        return try await invocation.reply(.createSnapshots(.makeObject([("snapshots", .array(snapshots))])))
                    }
                ),
                CommandSpec(
                    "list",
                    aliases: ["l"],
                    "Prints a list of all snapshots known to LINSTOR. By default, the list is printed as a human readable table.",
                    options: [
                        CommonOptions.pastable, CommonOptions.resourcesFilter, CommonOptions.nodesFilter,
                        CommonOptions.fromFile,
                    ],
                    action: { invocation throws(CLIFailure) in
                        let table = invocation.makeTable()
                        let request = RESTRequest.snapshots(
                            nodes: invocation.arguments.strings("nodes"),
                            resources: invocation.arguments.strings("resources")
                        )
                        return try await invocation.list(request, shape: .snapshots) { SnapshotTables.list($0, table: table) }
                    }
                ),
                CommandSpec(
                    "delete",
                    aliases: ["d"],
                    "Removes a snapshot.",
                    options: [
                        OptionSpec(["-n", "--nodes"], .oneOrMore, help: "Only delete the snapshot from these nodes"),
                        CommonOptions.async,
                    ],
                    positionals: resourceAndSnapshot,
                    action: { invocation throws(CLIFailure) in
                        let arguments = invocation.arguments
                        return try await invocation.reply(
                            .deleteSnapshot(
                                arguments.required("resource_definition_name"),
                                arguments.required("snapshot_name"),
                                nodes: arguments.strings("nodes")
                            )
                        )
                    }
                ),
                CommandSpec(
                    "set-property",
                    aliases: ["sp"],
                    "Sets properties for the given snapshot definition.",
                    options: [CommonOptions.aux],
                    positionals: resourceAndSnapshot + CommonOptions.keyValue(.resourceDefinition),
                    action: { invocation throws(CLIFailure) in
                        let arguments = invocation.arguments
                        return try await invocation.reply(
                            .modifySnapshot(
                                arguments.required("resource_definition_name"), arguments.required("snapshot_name"), invocation.propertyChangeBody()))
                    }
                ),
                CommandSpec(
                    "list-properties",
                    aliases: ["lp"],
                    "Prints all properties of the given snapshot.",
                    options: [CommonOptions.pastable, CommonOptions.fromFile],
                    positionals: resourceAndSnapshot,
                    action: { invocation throws(CLIFailure) in
                        let arguments = invocation.arguments
                        let resource = arguments.required("resource_definition_name")
                        let name = arguments.required("snapshot_name")
                        let snapshots = try await invocation.fetchList(.snapshots(resources: [resource]))
                        let match = snapshots.arrayValue.first { $0.text("name").lowercased() == name.lowercased() }
                        return invocation.printProperties(match?.props)
                    }
                ),
                CommandSpec(
                    "rollback",
                    aliases: ["rb"],
                    "Rolls a resource back to the state of a snapshot.",
                    options: [
                        OptionSpec(
                            ["--zfs-rollback-strategy"],
                            .single,
                            help: "How ZFS rolls back",
                            choices: ["rollback", "clone", "dynamic"]
                        )
                    ],
                    positionals: resourceAndSnapshot,
                    action: { invocation throws(CLIFailure) in
                        let arguments = invocation.arguments
                        var request = RESTRequest.rollbackSnapshot(
                            arguments.required("resource_definition_name"),
                            arguments.required("snapshot_name")
                        )
                        if let strategy = arguments.string("zfs_rollback_strategy") {
                            request.body = .makeObject([("zfs_rollback_strategy", .string(strategy))])
                        }
                        return try await invocation.reply(request)
                    }
                ),
                CommandSpec(
                    group: "resource",
                    aliases: ["r"],
                    "Snapshot resource subcommands",
                    [
                        CommandSpec(
                            "restore",
                            aliases: ["rst"],
                            "Restores a snapshot to a new resource on the given nodes.",
                            options: Self.restoreOptions + [
                                OptionSpec(
                                    ["--storpool-rename"],
                                    .zeroOrMore,
                                    metavar: "OLD=NEW",
                                    help: "Rename storage pools: old=new",
                                    appends: true
                                )
                            ],
                            positionals: [
                                PositionalSpec(
                                    "node_name",
                                    .zeroOrMore,
                                    help: "Names of the nodes where the snapshot should be restored"
                                )
                            ],
                            action: Self.restoreResource
                        )
                    ]
                ),
                CommandSpec(
                    group: "volume-definition",
                    aliases: ["vd"],
                    "Snapshot volume definition subcommands",
                    [
                        CommandSpec(
                            "restore",
                            aliases: ["rst"],
                            "Creates volume definitions from a snapshot.",
                            options: Self.restoreOptions,
                            action: { invocation throws(CLIFailure) in
                                let (resource, snapshot, target) = try Self.restoreNames(invocation.arguments)
                                return try await invocation.reply(
                                    .restoreSnapshot(
                                        "volume-definition",
                                        resource,
                                        snapshot,
                                        .makeObject([("to_resource", .string(target))])
                                    )
                                )
                            }
                        )
                    ]
                ),
            ]
        )
    }

    private static func restoreNames(_ arguments: ParsedArguments) throws(CLIFailure) -> (String, String, String) {
        let names = [
            "from_resource": "--from-resource/--fr", "from_snapshot": "--from-snapshot/--fs",
            "to_resource": "--to-resource/--tr",
        ]
        let missing = ["from_resource", "from_snapshot", "to_resource"].filter { arguments.string($0) == nil }
            .compactMap { names[$0] }
        guard missing.isEmpty else {
            throw CLIFailure.usage("the following arguments are required: " + missing.joined(separator: ", "))
        }
        return (
            arguments.required("from_resource"), arguments.required("from_snapshot"), arguments.required("to_resource")
        )
    }

    static func restoreResource(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        let arguments = invocation.arguments
        let (resource, snapshot, target) = try Self.restoreNames(arguments)
        var body: [(String, JSONValue)] = [("to_resource", .string(target))]
        if let nodes = arguments.strings("node_name"), !nodes.isEmpty { body.append(("nodes", .strings(nodes))) }
        if let renames = arguments.strings("storpool_rename"), !renames.isEmpty {
            var map: [(String, String)] = []
            for rename in renames {
                let parts = rename.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else {
                    throw CLIFailure.usage("argument --storpool-rename: expected OLD=NEW, got '\(rename)'")
                }
                map.append((parts[0], parts[1]))
            }
            body.append(("stor_pool_rename", .stringMap(map)))
        }
        return try await invocation.reply(.restoreSnapshot("resource", resource, snapshot, .makeObject(body)))
    }
}
