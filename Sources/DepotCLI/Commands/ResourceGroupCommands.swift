import DepotClient
import DepotModel

/// `depot resource-group …` (`rg`) (linstor-client `rsc_grp_cmds.py`).
@MainActor
enum ResourceGroupCommands {
    static func make() -> CommandSpec {
        let groupOptions =
            [
                OptionSpec(["-d", "--description"], .single, help: "Description for the resource group."),
                OptionSpec(["--peer-slots"], .single, help: "(DRBD) peer slots for new resources"),
            ] + PlacementOptions.options(countName: "--place-count")
        return CommandSpec(
            group: "resource-group",
            aliases: ["rg"],
            "Resource group subcommands",
            [
                CommandSpec(
                    "create",
                    aliases: ["c"],
                    "Creates a LINSTOR resource group.",
                    options: groupOptions,
                    positionals: [PositionalSpec("name", help: "Name of the resource group.")],
                    action: Self.create
                ),
                CommandSpec(
                    "modify",
                    aliases: ["m"],
                    "Modifies the specified attribute(s) of a LINSTOR resource group.",
                    options: groupOptions,
                    positionals: [PositionalSpec("name", help: "Name of the resource group")],
                    action: Self.modify
                ),
                CommandSpec(
                    "delete",
                    aliases: ["d"],
                    "Removes a resource group from the LINSTOR cluster.",
                    positionals: [PositionalSpec("name", help: "Name of the resource group to delete")],
                    action: { invocation throws(CLIFailure) in
                        try await invocation.reply(.deleteResourceGroup(invocation.arguments.required("name")))
                    }
                ),
                CommandSpec(
                    "list",
                    aliases: ["l"],
                    "Prints a list of all resource groups known to LINSTOR. By default, the list is printed as a human readable table.",
                    options: [
                        CommonOptions.pastable, CommonOptions.groupBy(GroupTables.resourceGroupHeaders),
                        OptionSpec(["-r", "--resource-groups"], .oneOrMore, help: "Filter by list of resource groups"),
                        CommonOptions.props, CommonOptions.showProps, CommonOptions.fromFile,
                    ],
                    action: Self.list
                ),
                CommandSpec(
                    "set-property",
                    aliases: ["sp"],
                    "Sets properties for the given resource group.",
                    options: [CommonOptions.aux],
                    positionals: [PositionalSpec("name", help: "Name of the resource group")] + CommonOptions.keyValue(.resourceGroup),
                    action: { invocation throws(CLIFailure) in
                        try await invocation.reply(
                            .modifyResourceGroup(invocation.arguments.required("name"), invocation.propertyChangeBody())
                        )
                    }
                ),
                DRBDOptionCommands.command(
                    "drbd-options", aliases: ["opt"], "Set DRBD options for the resource definitions of a resource group.",
                    sections: DRBDOptionCommands.all, positionals: [PositionalSpec("resource_group", help: "Resource group name")],
                    request: { arguments, body throws(CLIFailure) in .modifyResourceGroup(arguments.required("resource_group"), body) }),
                CommandSpec(
                    "list-properties",
                    aliases: ["lp"],
                    "Prints all properties set on a given resource group.",
                    options: [CommonOptions.pastable, CommonOptions.fromFile],
                    positionals: [PositionalSpec("name", help: "Resource group for which to print the properties")],
                    action: { invocation throws(CLIFailure) in
                        let name = invocation.arguments.required("name")
                        let groups = try await invocation.fetchList(.resourceGroups(names: [name]))
                        let group = groups.arrayValue.first { $0.text("name").lowercased() == name.lowercased() }
                        return invocation.printProperties(group?.props)
                    }
                ),
                CommandSpec(
                    "spawn-resources",
                    aliases: ["spawn"],
                    "Spawns a new resource with the settings of the specified resource group.",
                    options: [
                        OptionSpec(["-p", "--partial"], help: "Allow mismatching volume sizes."),
                        OptionSpec(
                            ["-d", "--definition-only"],
                            help: "Do not auto-place resource, only create definitions"
                        ),
                        OptionSpec(["--volume-passphrase"], .zeroOrMore, help: "User provided volume passphrases"),
                        OptionSpec(["--external-name"], .single, help: "User specified name"),
                        OptionSpec(["--peer-slots"], .single, help: "(DRBD) peer slots for new resources"),
                    ] + PlacementOptions.options(countName: "--place-count", providersShort: "--prov")
                        + [PlacementOptions.dryRun],
                    positionals: [
                        PositionalSpec("resource_group_name", help: "Resource group name to spawn from."),
                        PositionalSpec(
                            "resource_definition_name",
                            help: "New Resource definition name to create. Will be ignored if EXTERNAL_NAME is set."
                        ),
                        PositionalSpec(
                            "volume_sizes",
                            .zeroOrMore,
                            help: "Volume sizes for the resource definition (default unit: GiB)."
                        ),
                    ],
                    action: Self.spawn
                ),
                ResourceGroupQueries.querySizeInfo(),
                ResourceGroupQueries.queryMaxVolumeSize(),
                CommandSpec(
                    "adjust",
                    aliases: ["adj"],
                    "Adjusts all resource definitions of the given resource group (or of all groups).",
                    options: [CommonOptions.pastable],
                    positionals: [PositionalSpec("name", .optional, help: "Name of the resource group to adjust")],
                    action: { invocation throws(CLIFailure) in
                        let request =
                            invocation.arguments.string("name").map {
                                RESTRequest(
                                    .post,
                                    "/v1/resource-groups/\(RESTRequest.segment($0))/adjust",
                                    body: .object([])
                                )
                            } ?? RESTRequest(.post, "/v1/resource-groups/adjustall", body: .object([]))
                        return try await invocation.reply(request)
                    }
                ),
            ]
        )
    }

    /// The body members shared by create and modify.
    private static func groupBody(
        _ arguments: ParsedArguments
    ) throws(CLIFailure) -> (
        description: String?, filter: [(String, JSONValue)], peerSlots: Int?
    ) {
        let filter = try PlacementOptions.selectFilter(
            arguments,
            countDest: "place_count",
            countOption: "--place-count"
        )
        let slots = try arguments.integer("peer_slots", option: "--peer-slots", in: 1...31)
        return (arguments.string("description"), filter, slots)
    }

    static func create(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        let parts = try Self.groupBody(invocation.arguments)
        var body: [(String, JSONValue)] = [("name", .string(invocation.arguments.required("name")))]
        if let description = parts.description, !description.isEmpty {
            body.append(("description", .string(description)))
        }
        body.append(("select_filter", .makeObject(parts.filter)))
        if let slots = parts.peerSlots { body.append(("peer_slots", .integer(Int64(slots)))) }
        return try await invocation.reply(.createResourceGroup(.makeObject(body)))
    }

    static func modify(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        let parts = try Self.groupBody(invocation.arguments)
        var body: [(String, JSONValue)] = []
        if let description = parts.description { body.append(("description", .string(description))) }
        body.append(("select_filter", .makeObject(parts.filter)))
        if let slots = parts.peerSlots { body.append(("peer_slots", .integer(Int64(slots)))) }
        return try await invocation.reply(
            .modifyResourceGroup(invocation.arguments.required("name"), .makeObject(body))
        )
    }

    static func spawn(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        let arguments = invocation.arguments
        let sizes = try (arguments.strings("volume_sizes") ?? []).map {
            (text: String) throws(CLIFailure) -> JSONValue in
            .integer(try VolumeDefinitionCommands.sizeKiB(text))
        }
        var body: [(String, JSONValue)] = [
            ("resource_definition_name", .string(arguments.required("resource_definition_name"))),
            ("volume_sizes", .array(sizes)),
            ("partial", .bool(arguments.flag("partial"))),
            ("definitions_only", .bool(arguments.flag("definition_only"))),
            (
                "select_filter",
                .makeObject(
                    try PlacementOptions.selectFilter(arguments, countDest: "place_count", countOption: "--place-count")
                )
            ),
        ]
        if let passphrases = arguments.strings("volume_passphrase") {
            guard passphrases.count == sizes.count else {
                throw CLIFailure.usage("volume_passphrases must have same count as volume sizes provided")
            }
            body.append(("volume_passphrases", .strings(passphrases)))
        }
        if let external = arguments.string("external_name"), !external.isEmpty {
            body[0] = ("resource_definition_name", .string(""))
            body.append(("resource_definition_external_name", .string(external)))
        }
        if let slots = try arguments.integer("peer_slots", option: "--peer-slots", in: 1...31) {
            body.append(("peer_slots", .integer(Int64(slots))))
        }
        body += PlacementOptions.dryRunMember(arguments)
        return try await invocation.reply(.spawn(arguments.required("resource_group_name"), .makeObject(body)))
    }

    static func list(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        var invocation = invocation
        invocation.mergeConfig(section: "resource-group.list")
        let arguments = invocation.arguments
        let request = RESTRequest.resourceGroups(
            names: arguments.strings("resource_groups"),
            props: arguments.strings("props")
        )
        if invocation.globals.machineReadable || arguments.isPresent("from_file") {
            return try await invocation.list(request, shape: .unchanged) { groups in
                GroupTables.resourceGroups(
                    groups,
                    volumeNumbers: [:],
                    table: invocation.makeTable(),
                    groupBy: invocation.groupBy(default: "ResourceGroup"),
                    showProps: invocation.showPropColumns()
                )
            }
        }
        let groups = try await invocation.fetch(request)
        var numbers: [String: [Int64]] = [:]
        for group in groups.arrayValue {
            let name = group.text("name")
            let volumeGroups = try await invocation.fetch(.volumeGroups(name))
            numbers[name] = volumeGroups.arrayValue.compactMap { $0["volume_number"]?.int64Value }
        }
        invocation.console.out(
            GroupTables.resourceGroups(
                groups,
                volumeNumbers: numbers,
                table: invocation.makeTable(),
                groupBy: invocation.groupBy(default: "ResourceGroup"),
                showProps: invocation.showPropColumns()
            )
        )
        return ExitCode.ok
    }
}
