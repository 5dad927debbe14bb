import DepotClient
import DepotModel

/// `depot resource-definition …` (`rd`) (linstor-client `rsc_dfn_cmds.py`).
@MainActor
enum ResourceDefinitionCommands {
    static func make() -> CommandSpec {
        CommandSpec(
            group: "resource-definition",
            aliases: ["rd"],
            "Resource definition subcommands",
            [
                CommandSpec(
                    "create",
                    aliases: ["c"],
                    "Defines a Linstor resource definition for use with linstor.",
                    options: [
                        OptionSpec(["-p", "--port"], .single, help: "Preferred DRBD port"),
                        OptionSpec(["-e", "--external-name"], .single, help: "User specified name."),
                        OptionSpec(
                            ["-l", "--layer-list"],
                            .single,
                            metavar: "LAYER_LIST",
                            help:
                                "Comma separated layer list, order is from left to right. This means the top most layer is on the left. Possible layers are: "
                                + PlacementOptions.layers.joined(separator: ",")
                        ),
                        OptionSpec(["--peer-slots"], .single, help: "(DRBD) peer slots for new resources"),
                        OptionSpec(
                            ["--resource-group"],
                            .single,
                            help: "Attach the resource definition to this resource group"
                        ),
                    ],
                    positionals: [
                        PositionalSpec(
                            "name",
                            .optional,
                            help: "Name of the new resource definition. Will be ignored if EXTERNAL_NAME is set."
                        )
                    ],
                    action: Self.create
                ),
                CommandSpec(
                    "auto-place",
                    aliases: ["ap"],
                    "Auto place a resource definition",
                    options: PlacementOptions.options(countName: "--place-count") + [
                        OptionSpec(["--nvme-initiator"], help: "Mark this resource as initiator"),
                        OptionSpec(["--drbd-diskless"], help: "Mark this resource as drbd diskless"),
                        PlacementOptions.dryRun,
                    ],
                    positionals: [PositionalSpec("resource_definition_name", help: "Name of the resource definition")],
                    action: Self.autoPlace
                ),
                CommandSpec(
                    "modify",
                    aliases: ["m"],
                    "Modifies a Linstor resource definition",
                    options: [
                        OptionSpec(["--peer-slots"], .single, help: "(DRBD) peer slots for new resources"),
                        OptionSpec(["-p", "--port"], .single, help: "Preferred DRBD port"),
                        OptionSpec(["--resource-group"], .single, help: "Change resource group to the given name."),
                    ],
                    positionals: [PositionalSpec("name", help: "Name of the resource definition")],
                    action: Self.modify
                ),
                CommandSpec(
                    "delete",
                    aliases: ["d"],
                    "Removes a resource definition from the cluster. The resource is undeployed from all nodes and the resource entry is marked for removal.",
                    options: [CommonOptions.async],
                    positionals: [PositionalSpec("name", .oneOrMore, help: "Name of the resource to delete")],
                    action: { invocation throws(CLIFailure) in
                        try await invocation.reply(
                            (invocation.arguments.strings("name") ?? []).map { .deleteResourceDefinition($0) }
                        )
                    }
                ),
                CommandSpec(
                    "list",
                    aliases: ["l"],
                    "Prints a list of all resource definitions known to LINSTOR. By default, the list is printed as a human readable table.",
                    options: [
                        CommonOptions.pastable, CommonOptions.groupBy(DefinitionTables.resourceDefinitionHeaders),
                        OptionSpec(
                            ["-r", "--resource-definitions"],
                            .oneOrMore,
                            help: "Filter by list of resource definitions"
                        ),
                        OptionSpec(["-e", "--external-name"], help: "Show user specified name."),
                        CommonOptions.props, CommonOptions.showProps, CommonOptions.fromFile,
                        OptionSpec(
                            ["--show-preferred-drbd-ports", "--ports"],
                            help: "Show the preferred DRBD port of each resource definition"
                        ),
                    ],
                    action: Self.list
                ),
                CommandSpec(
                    "set-property",
                    aliases: ["sp"],
                    "Sets properties for the given resource definition.",
                    options: [CommonOptions.aux],
                    positionals: [PositionalSpec("name", help: "Name of the resource definition")]
                        + CommonOptions.keyValue(.resourceDefinition),
                    action: { invocation throws(CLIFailure) in
                        try await invocation.reply(
                            .modifyResourceDefinition(
                                invocation.arguments.required("name"),
                                invocation.propertyChangeBody()
                            )
                        )
                    }
                ),
                DRBDOptionCommands.command(
                    "drbd-options", aliases: ["opt"], "Set DRBD options of a resource definition.",
                    sections: DRBDOptionCommands.all, positionals: [PositionalSpec("resource", help: "Resource name")],
                    request: { arguments, body throws(CLIFailure) in .modifyResourceDefinition(arguments.required("resource"), body) }),
                CloneCommands.clone(),
                CloneCommands.waitSync(),
                CommandSpec(
                    "list-properties",
                    aliases: ["lp"],
                    "Prints all properties of the given resource definitions.",
                    options: [CommonOptions.pastable, CommonOptions.fromFile],
                    positionals: [
                        PositionalSpec("resource_name", help: "Resource definition for which to print the properties")
                    ],
                    action: { invocation throws(CLIFailure) in
                        let name = invocation.arguments.required("resource_name")
                        let definitions = try await invocation.fetchList(.resourceDefinitions(names: [name]))
                        let match = definitions.arrayValue.first { $0.text("name").lowercased() == name.lowercased() }
                        return invocation.printProperties(match?.props)
                    }
                ),
            ]
        )
    }

    static func create(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        let arguments = invocation.arguments
        let external = arguments.string("external_name")
        guard arguments.string("name") != nil || external != nil else {
            throw CLIFailure.usage("resource-definition create: either name or external name is required")
        }
        var definition: [(String, JSONValue)] = []
        if let external, !external.isEmpty {
            definition.append(("external_name", .string(external)))
        } else {
            definition.append(("name", .string(arguments.string("name") ?? "")))
        }
        if let layers = try PlacementOptions.layerList(arguments), !layers.isEmpty {
            definition.append(("layer_data", .array(layers.map { JSONValue.makeObject([("type", .string($0))]) })))
        }
        if let group = arguments.string("resource_group") { definition.append(("resource_group_name", .string(group))) }
        var body: [(String, JSONValue)] = [("resource_definition", .makeObject(definition))]
        if let port = try arguments.integer("port", option: "-p/--port", in: 1...65535) {
            body.append(("drbd_port", .integer(Int64(port))))
        }
        if let slots = try arguments.integer("peer_slots", option: "--peer-slots", in: 1...31) {
            body.append(("drbd_peer_slots", .integer(Int64(slots))))
        }
        return try await invocation.reply(.createResourceDefinition(.makeObject(body)))
    }

    static func autoPlace(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        let arguments = invocation.arguments
        let disklessType =
            arguments.flag("drbd_diskless")
            ? "DRBD_DISKLESS" : arguments.flag("nvme_initiator") ? "NVME_INITIATOR" : nil
        let filter = try PlacementOptions.selectFilter(
            arguments,
            countDest: "place_count",
            countOption: "--place-count",
            disklessType: disklessType
        )
        var body: [(String, JSONValue)] = [
            ("diskless_on_remaining", PlacementOptions.disklessOnRemaining(arguments).map(JSONValue.bool) ?? .null),
            ("select_filter", .makeObject(filter)),
        ]
        if let layers = try PlacementOptions.layerList(arguments), !layers.isEmpty {
            body.append(("layer_list", .strings(layers)))
        }
        body += PlacementOptions.dryRunMember(arguments)
        return try await invocation.reply(.autoPlace(arguments.required("resource_definition_name"), .makeObject(body)))
    }

    static func modify(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        let arguments = invocation.arguments
        var body: [(String, JSONValue)] = []
        if let port = try arguments.integer("port", option: "-p/--port", in: 1...65535) {
            body.append(("drbd_port", .integer(Int64(port))))
        }
        if let slots = try arguments.integer("peer_slots", option: "--peer-slots", in: 1...31) {
            body.append(("drbd_peer_slots", .integer(Int64(slots))))
        }
        if let group = arguments.string("resource_group") { body.append(("resource_group", .string(group))) }
        return try await invocation.reply(.modifyResourceDefinition(arguments.required("name"), .makeObject(body)))
    }

    static func list(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        var invocation = invocation
        invocation.mergeConfig(section: "resource-definition.list")
        let arguments = invocation.arguments
        let table = invocation.makeTable()
        let request = RESTRequest.resourceDefinitions(
            names: arguments.strings("resource_definitions"),
            props: arguments.strings("props")
        )
        return try await invocation.list(request, shape: .resourceDefinitions) { definitions in
            DefinitionTables.resourceDefinitions(
                definitions,
                table: table,
                groupBy: invocation.groupBy(default: "ResourceName"),
                showProps: invocation.showPropColumns(),
                showExternalName: arguments.flag("external_name"),
                showPorts: arguments.flag("show_preferred_drbd_ports")
            )
        }
    }
}
