import DepotClient
import DepotModel

/// `depot volume …` (`v`) (linstor-client `vlm_cmds.py`); `resource list-volumes` shares its table.
@MainActor
enum VolumeCommands {
    static func listOptions(fromFile: Bool) -> [OptionSpec] {
        [
            CommonOptions.pastable, CommonOptions.nodesFilter,
            OptionSpec(["-s", "--storage-pools"], .oneOrMore, help: "Filter by list of storage pools"),
            CommonOptions.resourcesFilter, OptionSpec(["-a", "--all"], help: "Show all resources."),
            OptionSpec(["--hide-replication-states", "--hrep"], help: "Hide the replication states column."),
            CommonOptions.showPropsLong,
        ] + (fromFile ? [CommonOptions.fromFile] : [])
    }

    static func make() -> CommandSpec {
        CommandSpec(
            group: "volume",
            aliases: ["v"],
            "Volume subcommands",
            [
                CommandSpec(
                    "list",
                    aliases: ["l"],
                    "Prints a list of all volumes.",
                    options: Self.listOptions(fromFile: true),
                    action: Self.list
                ),
                CommandSpec(
                    "set-property",
                    aliases: ["sp"],
                    "Sets properties for the specified volume of a specified resource and node.",
                    options: [CommonOptions.aux],
                    positionals: [
                        PositionalSpec("node_name", help: "Node name where resource is deployed."),
                        PositionalSpec("resource_name", help: "Name of the resource"),
                        PositionalSpec("volume_number", help: "Volume number"),
                    ] + CommonOptions.keyValue(.volume),
                    action: { invocation throws(CLIFailure) in
                        let number = try VolumeDefinitionCommands.volumeNumber(invocation.arguments, "volume_number")
                        return try await invocation.reply(
                            .modifyVolume(
                                invocation.arguments.required("resource_name"),
                                node: invocation.arguments.required("node_name"),
                                volume: number,
                                invocation.propertyChangeBody()
                            )
                        )
                    }
                ),
                CommandSpec(
                    "list-properties",
                    aliases: ["lp"],
                    "Prints all properties of the given volume.",
                    options: [CommonOptions.pastable],
                    positionals: [
                        PositionalSpec("node_name", help: "Node name where the resource is deployed."),
                        PositionalSpec("resource_name", help: "Resource name"),
                        PositionalSpec("volume_number", help: "Volume number"),
                    ],
                    action: { invocation throws(CLIFailure) in
                        let number = try VolumeDefinitionCommands.volumeNumber(invocation.arguments, "volume_number")
                        let resources = try await invocation.fetch(
                            .resources(
                                nodes: [invocation.arguments.required("node_name")],
                                resources: [invocation.arguments.required("resource_name")]
                            )
                        )
                        let volume = resources.arrayValue.first?["volumes"]?.arrayValue.first {
                            $0["volume_number"]?.int64Value == Int64(number)
                        }
                        return invocation.printProperties(volume?.props)
                    }
                ),
            ]
        )
    }

    static func list(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        var invocation = invocation
        invocation.mergeConfig(section: "volume.list")
        let arguments = invocation.arguments
        let table = invocation.makeTable()
        let request = RESTRequest.resources(
            nodes: arguments.strings("nodes"),
            storagePools: arguments.strings("storage_pools"),
            resources: arguments.strings("resources")
        )
        return try await invocation.list(request, shape: .resources) { resources in
            ResourceTables.volumes(
                resources,
                table: table,
                showProps: invocation.showPropColumns(),
                hideReplication: arguments.flag("hide_replication_states"),
                printer: invocation.printer
            )
        }
    }
}
