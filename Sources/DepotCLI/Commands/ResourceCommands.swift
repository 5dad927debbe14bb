import DepotClient
import DepotModel

/// `depot resource …` (`r`) (linstor-client `rsc_cmds.py`).
@MainActor
enum ResourceCommands {
    static func make() -> CommandSpec {
        CommandSpec(
            group: "resource",
            aliases: ["r"],
            "Resouce subcommands",
            [
                CommandSpec(
                    "create",
                    aliases: ["c"],
                    "Deploys a resource definition to a node.",
                    options: [
                        OptionSpec(
                            ["--diskless", "-d"],
                            help: "DEPRECATED. Use --nvme-initiator or --drbd-diskless instead"
                        ),
                        OptionSpec(["--node-id"], .single, help: "Override the automatic selection of DRBD node ID"),
                        CommonOptions.async,
                        OptionSpec(["--nvme-initiator"], help: "Mark this resource as NVMe initiator"),
                        OptionSpec(["--drbd-diskless"], help: "Mark this resource as DRBD diskless"),
                        OptionSpec(["--ebs-initiator"], help: "Mark this resource as EBS initiator"),
                        OptionSpec(["--inactive"], help: "Marks the resource created as inactive"),
                        OptionSpec(["--drbd-tcp-port"], .single, help: "Set the TCP port for DRBD to use"),
                    ] + PlacementOptions.options(countName: "--auto-place", storagePoolKeeps: 1)
                        + [PlacementOptions.dryRun],
                    positionals: [
                        PositionalSpec("node_name", .zeroOrMore, help: "Name of the node to deploy the resource"),
                        PositionalSpec("resource_definition_name", help: "Name of the resource definition"),
                    ],
                    action: Self.create
                ),
                CommandSpec(
                    "make-available",
                    aliases: ["mkavail"],
                    "Make a resource available on a node. Does nothing if resource already exists on the node.",
                    options: [
                        OptionSpec(["--diskful"], help: "Make the resource diskful on the node."),
                        OptionSpec(
                            ["-l", "--layer-list"],
                            .single,
                            metavar: "LAYER_LIST",
                            help: "Comma separated layer list"
                        ),
                        OptionSpec(["--drbd-tcp-port"], .single, help: "Set the TCP port for DRBD to use"),
                    ],
                    positionals: [
                        PositionalSpec("node_name", help: "Name of the node to deploy the resource"),
                        PositionalSpec("resource_name", help: "Name of the resource definition"),
                    ],
                    action: Self.makeAvailable
                ),
                CommandSpec(
                    "list",
                    aliases: ["l"],
                    "Prints a list of all resource known to LINSTOR. By default, the list is printed as a human readable table.",
                    options: [
                        CommonOptions.pastable, CommonOptions.groupBy(ResourceTables.resourceHeaders),
                        CommonOptions.resourcesFilter,
                        CommonOptions.nodesFilter, OptionSpec(["-a", "--all"], help: "Show all resources."),
                        OptionSpec(["--faulty"], help: "Only show faulty resource."), CommonOptions.props,
                        CommonOptions.showProps,
                        CommonOptions.fromFile, OptionSpec(["--show-drbd-ports"], help: "Show the 'DRBD Ports' column"),
                        OptionSpec(["--watch"], help: "Print the list again after every change to a replica (Depot), until interrupted."),
                    ],
                    action: { invocation throws(CLIFailure) in
                        guard invocation.arguments.flag("watch") else { return try await Self.list(invocation) }
                        return try await EventCommands.watch(invocation, list: Self.list)
                    }
                ),
                CommandSpec(
                    "list-volumes",
                    aliases: ["lv"],
                    "Prints a list of all volumes.",
                    options: VolumeCommands.listOptions(fromFile: false),
                    action: VolumeCommands.list
                ),
                CommandSpec(
                    "delete",
                    aliases: ["d"],
                    "Removes a resource. The resource is undeployed from the node and the resource entry is marked for removal from LINSTOR's data tables.",
                    options: [
                        CommonOptions.async,
                        OptionSpec(
                            ["--keep-tiebreaker"],
                            help: "Keeps the tiebreaker instead of accidentally deleting it."
                        ),
                    ],
                    positionals: [
                        PositionalSpec("node_name", .oneOrMore, help: "Name of the node"),
                        PositionalSpec("name", help: "Name of the resource to delete"),
                    ],
                    action: { invocation throws(CLIFailure) in
                        let name = invocation.arguments.required("name")
                        let keep = invocation.arguments.flag("keep_tiebreaker")
                        return try await invocation.reply(
                            (invocation.arguments.strings("node_name") ?? []).map {
                                .deleteResource(name, node: $0, keepTiebreaker: keep)
                            }
                        )
                    }
                ),
                CommandSpec(
                    "set-property",
                    aliases: ["sp"],
                    "Sets properties for the given resource on the given node.",
                    options: [CommonOptions.aux],
                    positionals: [
                        PositionalSpec("node_name", help: "Node name where resource is deployed."),
                        PositionalSpec("name", help: "Name of the resource"),
                    ] + CommonOptions.keyValue(.resource),
                    action: { invocation throws(CLIFailure) in
                        try await invocation.reply(
                            .modifyResource(
                                invocation.arguments.required("name"),
                                node: invocation.arguments.required("node_name"),
                                invocation.propertyChangeBody()
                            )
                        )
                    }
                ),
                CommandSpec(
                    "list-properties",
                    aliases: ["lp"],
                    "Prints all properties of the given resource.",
                    options: [CommonOptions.pastable],
                    positionals: [
                        PositionalSpec("node_name", help: "Node name where the resource is deployed."),
                        PositionalSpec("resource_name", help: "Resource name"),
                    ],
                    action: { invocation throws(CLIFailure) in
                        let resources = try await invocation.fetch(
                            .resources(
                                nodes: [invocation.arguments.required("node_name")],
                                resources: [invocation.arguments.required("resource_name")]
                            )
                        )
                        return invocation.printProperties(resources.arrayValue.first?.props)
                    }
                ),
                CommandSpec(
                    "toggle-disk",
                    aliases: ["td"],
                    "Toggles a resource between diskless and diskful (backed by disk/s).",
                    options: [
                        OptionSpec(
                            ["--storage-pool", "-s"],
                            .single,
                            help: "Add disks to a diskless resource using this storage pool name"
                        ),
                        OptionSpec(
                            ["--default-storage-pool", "--dflt"],
                            help:
                                "Add disks using the storage pools determined from the properties of the objects to which the volumes belong"
                        ),
                        OptionSpec(
                            ["--diskless", "-d"],
                            help: "Remove the disks from a resource (toggles --drbd-diskless)"
                        ),
                        CommonOptions.async,
                        OptionSpec(
                            ["--migrate-from"],
                            .single,
                            metavar: "MIGRATION_SOURCE",
                            help: "Name of the node on which the resource should be deleted once the sync is complete."
                        ),
                    ],
                    positionals: [
                        PositionalSpec("node_name", help: "Node name where resource is deployed"),
                        PositionalSpec("name", help: "Name of the resource"),
                    ],
                    action: Self.toggleDisk
                ),
                Self.nodeAction("activate", aliases: ["act"], "Activate a resource.", suffix: "activate"),
                Self.nodeAction("deactivate", aliases: ["deact"], "Deactivate a resource.", suffix: "deactivate"),
            ]
        )
    }

    private static func nodeAction(_ name: String, aliases: [String], _ summary: String, suffix: String) -> CommandSpec {
        CommandSpec(
            name,
            aliases: aliases,
            summary,
            positionals: [
                PositionalSpec("node_name", help: "Node name of the resource"),
                PositionalSpec("resource_name", help: "Name of the resource"),
            ]
        ) { invocation throws(CLIFailure) in
            try await invocation.reply(
                .resourceAction(
                    .post,
                    invocation.arguments.required("resource_name"),
                    node: invocation.arguments.required("node_name"),
                    suffix
                )
            )
        }
    }

    static func create(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        let arguments = invocation.arguments
        let resource = arguments.required("resource_definition_name")
        if arguments.string("auto_place") != nil {
            let disklessType =
                arguments.flag("drbd_diskless")
                ? "DRBD_DISKLESS"
                : arguments.flag("nvme_initiator")
                    ? "NVME_INITIATOR"
                    : arguments.flag("diskless") ? "DISKLESS" : nil
            let filter = try PlacementOptions.selectFilter(
                arguments,
                countDest: "auto_place",
                countOption: "--auto-place",
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
            return try await invocation.reply(.autoPlace(resource, .makeObject(body)))
        }
        // A dry run of a placement the user made by hand would have nothing to report; refuse it
        // rather than create the resources.
        if arguments.flag("dry_run") {
            throw CLIFailure.usage("argument --dry-run: only allowed with --auto-place")
        }
        let nodes = arguments.strings("node_name") ?? []
        guard !nodes.isEmpty else { throw CLIFailure.usage("resource create: too few arguments: Node name missing.") }
        let nodeID = try arguments.integer("node_id", option: "--node-id")
        let port = try arguments.integer("drbd_tcp_port", option: "--drbd-tcp-port", in: 1...65535)
        let layers = try PlacementOptions.layerList(arguments)
        var flags: [String] = []
        if arguments.flag("diskless") { flags.append("DISKLESS") }
        if arguments.flag("drbd_diskless") { flags.append("DRBD_DISKLESS") }
        if arguments.flag("nvme_initiator") { flags.append("NVME_INITIATOR") }
        if arguments.flag("ebs_initiator") { flags.append("EBS_INITIATOR") }
        if arguments.flag("inactive") { flags.append("INACTIVE") }
        let pool = arguments.strings("storage_pool")?.first
        let body = nodes.map { node -> JSONValue in
            var inner: [(String, JSONValue)] = [("node_name", .string(node))]
            if let pool, !pool.isEmpty { inner.append(("props", .stringMap([("StorPoolName", pool)]))) }
            if !flags.isEmpty { inner.append(("flags", .strings(flags))) }
            var entry: [(String, JSONValue)] = [("resource", .makeObject(inner))]
            if let nodeID { entry.append(("drbd_node_id", .integer(Int64(nodeID)))) }
            if let layers, !layers.isEmpty { entry.append(("layer_list", .strings(layers))) }
            if let port { entry.append(("drbd_tcp_ports", .array([.integer(Int64(port))]))) }
            return .makeObject(entry)
        }
        return try await invocation.reply(.createResources(resource, .array(body)))
    }

    static func makeAvailable(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        let arguments = invocation.arguments
        var body: [(String, JSONValue)] = [("diskful", .bool(arguments.flag("diskful")))]
        if let layers = try PlacementOptions.layerList(arguments) { body.append(("layer_list", .strings(layers))) }
        if let port = try arguments.integer("drbd_tcp_port", option: "--drbd-tcp-port", in: 1...65535) {
            body.append(("drbd_tcp_ports", .array([.integer(Int64(port))])))
        }
        return try await invocation.reply(
            .resourceAction(
                .post,
                arguments.required("resource_name"),
                node: arguments.required("node_name"),
                "make-available",
                body: .makeObject(body)
            )
        )
    }

    static func toggleDisk(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        let arguments = invocation.arguments
        let exclusive = ["storage_pool", "default_storage_pool", "diskless"].filter { arguments.isPresent($0) }
        if exclusive.count > 1 {
            throw CLIFailure.usage("argument --diskless/-d: not allowed with argument --storage-pool/-s")
        }
        if arguments.flag("diskless"), arguments.isPresent("migrate_from") {
            throw CLIFailure.usage("--migrate-from cannot be used with --diskless")
        }
        let node = arguments.required("node_name")
        let resource = arguments.required("name")
        let client = try await invocation.session.connectedClient()
        if client.apiVersionIsBelow("1.28.0") {
            var suffix: String
            if let source = arguments.string("migrate_from") {
                suffix = "migrate-disk/" + RESTRequest.segment(source)
            } else {
                suffix = "toggle-disk/" + (arguments.flag("diskless") ? "diskless" : "diskful")
            }
            if let pool = arguments.string("storage_pool") { suffix += "/" + RESTRequest.segment(pool) }
            return try await invocation.reply(.resourceAction(.put, resource, node: node, suffix))
        }
        var body: [(String, JSONValue)] = []
        if let source = arguments.string("migrate_from") { body.append(("migrate_from", .string(source))) }
        body.append(("operation", .string(arguments.flag("diskless") ? "INTO_DRBD_DISKLESS" : "INTO_DRBD_DISKFUL")))
        if let pool = arguments.string("storage_pool") { body.append(("storage_pool", .string(pool))) }
        return try await invocation.reply(
            .resourceAction(.put, resource, node: node, "toggle-disk", body: .makeObject(body))
        )
    }

    static func list(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        var invocation = invocation
        invocation.mergeConfig(section: "resource.list")
        let arguments = invocation.arguments
        let table = invocation.makeTable()
        let request = RESTRequest.resources(
            nodes: arguments.strings("nodes"),
            resources: arguments.strings("resources"),
            props: arguments.strings("props")
        )
        return try await invocation.list(request, shape: .resources) { resources in
            ResourceTables.resources(
                resources,
                table: table,
                options: ResourceTables.ResourceListOptions(
                    groupBy: invocation.groupBy(default: "ResourceName"),
                    showProps: invocation.showPropColumns(),
                    showDRBDPorts: arguments.flag("show_drbd_ports"),
                    faultyOnly: arguments.flag("faulty")
                )
            )
        }
    }
}
