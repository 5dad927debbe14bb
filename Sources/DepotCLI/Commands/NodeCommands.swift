import DepotClient
import DepotModel
import Foundation

/// `depot node …` (`n`): LINSTOR's node commands (linstor-client `node_cmds.py`).
@MainActor
enum NodeCommands {
    static let nodeTypes = ["controller", "auxiliary", "combined", "satellite"]

    static func make() -> CommandSpec {
        CommandSpec(
            group: "node",
            aliases: ["n"],
            "Node subcommands",
            [
                LogLevelCommands.node(),
                CommandSpec(
                    "create",
                    aliases: ["c"],
                    "Creates a node entry for a node that participates in the LINSTOR cluster.",
                    options: [
                        OptionSpec(
                            ["-p", "--port"],
                            .single,
                            help: "default: Satellite 3366 for PLAIN; Controller 3370 for PLAIN; 3371 for SSL"
                        ),
                        OptionSpec(
                            ["--node-type"],
                            .single,
                            help: "Node type (default: satellite)",
                            choices: Self.nodeTypes,
                            lowercase: true
                        ),
                        OptionSpec(
                            ["--communication-type"],
                            .single,
                            help: "Communication type (default: plain)",
                            choices: ["plain", "ssl"],
                            lowercase: true
                        ),
                        OptionSpec(
                            ["--interface-type"],
                            .single,
                            help: "Interface type (default: ip)",
                            choices: ["ip"],
                            lowercase: true
                        ),
                        OptionSpec(["--interface-name"], .single, help: "Interface name (default: default)"),
                    ],
                    positionals: [
                        PositionalSpec("name", help: "Name of the new node, must match the nodes hostname"),
                        PositionalSpec(
                            "ip",
                            .optional,
                            help: "IP address of the new node, if not specified it will be resolved by the name."
                        ),
                    ],
                    action: Self.create
                ),
                CommandSpec(
                    "list",
                    aliases: ["l"],
                    "Prints a list of all cluster nodes known to LINSTOR. By default, the list is printed as a human readable table.",
                    options: [
                        CommonOptions.pastable, CommonOptions.groupBy(NodeTables.headers), CommonOptions.nodesFilter,
                        OptionSpec(["--show-aux-props"], help: "Show aux properties for nodes"),
                        CommonOptions.props, CommonOptions.showProps, CommonOptions.fromFile,
                    ],
                    action: Self.list
                ),
                CommandSpec(
                    "delete",
                    aliases: ["d"],
                    "Removes a node from the LINSTOR cluster.",
                    options: [CommonOptions.async],
                    positionals: [PositionalSpec("name", help: "Name of the node to remove")],
                    action: { invocation throws(CLIFailure) in
                        try await invocation.reply(.deleteNode(invocation.arguments.required("name")))
                    }
                ),
                CommandSpec(
                    "lost",
                    aliases: ["lo"],
                    "Removes an unrecoverable node from the LINSTOR cluster.",
                    options: [CommonOptions.async],
                    positionals: [PositionalSpec("name", help: "Name of the node to delete.")],
                    action: { invocation throws(CLIFailure) in
                        try await invocation.reply(.lostNode(invocation.arguments.required("name")))
                    }
                ),
                CommandSpec(
                    "describe",
                    aliases: ["dsc"],
                    "Shows a tree view of storage pools, resources, and volumes on a node (or all nodes).",
                    positionals: [
                        PositionalSpec(
                            "name",
                            .optional,
                            help: "Name of the node to be described. With no name, all nodes are described"
                        )
                    ],
                    action: NodeDescription.describe
                ),
                CommandSpec(
                    "modify",
                    aliases: ["m"],
                    "Modify node type for a specified node.",
                    options: [
                        OptionSpec(
                            ["--node-type", "-t"],
                            .single,
                            help: "Node type (default: satellite)",
                            choices: Self.nodeTypes,
                            lowercase: true
                        )
                    ],
                    positionals: [PositionalSpec("node_name", help: "Name of the node to modify.")],
                    action: { invocation throws(CLIFailure) in
                        let type = invocation.arguments.string("node_type") ?? "satellite"
                        return try await invocation.reply(
                            .modifyNode(
                                invocation.arguments.required("node_name"),
                                .makeObject([("node_type", .string(type))])
                            )
                        )
                    }
                ),
                CommandSpec(
                    "reconnect",
                    aliases: ["rc"],
                    "Reconnect a node to the LINSTOR controller, reinitializing the node's state.",
                    positionals: [PositionalSpec("nodes", .oneOrMore, help: "List of nodes to reconnect.")],
                    action: { invocation throws(CLIFailure) in
                        try await invocation.reply(
                            (invocation.arguments.strings("nodes") ?? []).map { .nodeAction($0, "reconnect") }
                        )
                    }
                ),
                CommandSpec(
                    "restore",
                    aliases: ["rst"],
                    "Restores an evicted node.",
                    options: [
                        OptionSpec(["--delete-resources"], help: "Delete resources before restoring the node"),
                        OptionSpec(["--delete-snapshots"], help: "Delete snapshots before restoring the node"),
                    ],
                    positionals: [PositionalSpec("node_name", help: "Name of the evicted node to restore")],
                    action: { invocation throws(CLIFailure) in
                        var body: [(String, JSONValue)] = []
                        if invocation.arguments.flag("delete_resources") {
                            body.append(("delete_resources", .bool(true)))
                        }
                        if invocation.arguments.flag("delete_snapshots") {
                            body.append(("delete_snapshots", .bool(true)))
                        }
                        return try await invocation.reply(
                            .nodeAction(invocation.arguments.required("node_name"), "restore", body: .makeObject(body))
                        )
                    }
                ),
                CommandSpec(
                    "evacuate",
                    aliases: ["evac"],
                    "Moves all resources off the given node.",
                    options: [
                        OptionSpec(
                            ["--target"],
                            .oneOrMore,
                            metavar: "NODE_NAME",
                            help: "Only evacuate to these nodes"
                        ),
                        OptionSpec(
                            ["--do-not-target"],
                            .oneOrMore,
                            metavar: "NODE_NAME",
                            help: "Do not evacuate to these nodes"
                        ),
                    ],
                    positionals: [PositionalSpec("node_name", help: "Name of the node to evacuate")],
                    action: { invocation throws(CLIFailure) in
                        // One of the two at most (argparse's mutually exclusive group in linstor-client).
                        if invocation.arguments.isPresent("target"), invocation.arguments.isPresent("do_not_target") {
                            throw CLIFailure.usage("argument --do-not-target: not allowed with argument --target")
                        }
                        var body: [(String, JSONValue)] = []
                        if let targets = invocation.arguments.strings("target") {
                            body.append(("target", .strings(targets)))
                        }
                        if let avoid = invocation.arguments.strings("do_not_target") {
                            body.append(("do_not_target", .strings(avoid)))
                        }
                        // No body at all without targets, as api-py sends it.
                        return try await invocation.reply(
                            .nodeAction(
                                invocation.arguments.required("node_name"),
                                "evacuate",
                                body: body.isEmpty ? nil : .makeObject(body)
                            )
                        )
                    }
                ),
                CommandSpec(
                    "info",
                    "Prints which storage providers and resource layers each node supports.",
                    options: [
                        CommonOptions.pastable, OptionSpec(["-f", "--full"], help: "Also shows provider/layer errors"),
                        CommonOptions.nodesFilter,
                    ],
                    action: { invocation throws(CLIFailure) in
                        try await invocation.list(.nodes(names: invocation.arguments.strings("nodes")), shape: .nodes) { nodes in
                            NodeInfoTables.render(
                                nodes,
                                makeTable: invocation.makeTable,
                                full: invocation.arguments.flag("full")
                            )
                        }
                    }
                ),
                NodeInterfaceCommands.make(),
                CommandSpec(
                    "set-property",
                    aliases: ["sp"],
                    "Set a property on the given node.",
                    options: [CommonOptions.aux],
                    positionals: [PositionalSpec("node_name", help: "Node for which to set the property")]
                        + CommonOptions.keyValue(.node),
                    action: { invocation throws(CLIFailure) in
                        try await invocation.reply(
                            .modifyNode(invocation.arguments.required("node_name"), invocation.propertyChangeBody())
                        )
                    }
                ),
                CommandSpec(
                    "list-properties",
                    aliases: ["lp"],
                    "Prints all properties of the given node.",
                    options: [CommonOptions.pastable, CommonOptions.fromFile],
                    positionals: [PositionalSpec("node_name", help: "Node for which to print the properties")],
                    action: Self.listProperties
                ),
            ]
        )
    }

    static func create(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        let arguments = invocation.arguments
        let name = arguments.required("name")
        let type = arguments.string("node_type") ?? "satellite"
        let communication = arguments.string("communication_type") ?? "plain"
        let address: String
        if let given = arguments.string("ip") {
            address = given
        } else {
            address = try Self.resolveAddress(name)
        }
        let port: Int
        if let given = try arguments.integer("port", option: "-p/--port", in: 1...65535) {
            port = given
        } else if communication == "ssl" {
            port = type == "controller" ? 3371 : 3367
        } else {
            port = type == "controller" ? 3370 : 3366
        }
        var interface: [(String, JSONValue)] = [
            ("name", .string(arguments.string("interface_name") ?? "default")), ("address", .string(address)),
            ("satellite_port", .integer(Int64(port))), ("satellite_encryption_type", .string(communication)),
        ]
        let client = try await invocation.session.connectedClient()
        if !client.apiVersionIsBelow("1.0.7") { interface.append(("is_active", .bool(true))) }
        let body = JSONValue.makeObject([
            ("name", .string(name)), ("type", .string(type)), ("net_interfaces", .array([.makeObject(interface)])),
        ])
        return try await invocation.reply(.createNode(body))
    }

    /// The first IPv4 address of `name` outside 127.0.0.0/8, as LINSTOR's client picks it.
    static func resolveAddress(_ name: String) throws(CLIFailure) -> String {
        var hints = addrinfo()
        hints.ai_family = AF_INET
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(name, nil, &hints, &result)
        guard status == 0, let first = result else {
            let reason = String(cString: gai_strerror(status))
            throw CLIFailure.message(
                "Unable to resolve ip address for '\(name)': [Errno \(status)] \(reason)",
                exitCode: ExitCode.argumentError
            )
        }
        defer { freeaddrinfo(first) }
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let socketAddress = entry.pointee.ai_addr, entry.pointee.ai_family == AF_INET {
                var buffer = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
                let address = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                var copy = address
                if inet_ntop(AF_INET, &copy, &buffer, socklen_t(INET_ADDRSTRLEN)) != nil {
                    let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                    if !text.hasPrefix("127.") { return text }
                }
            }
            cursor = entry.pointee.ai_next
        }
        throw CLIFailure.message("Unable determine a valid ip address '\(name)'", exitCode: ExitCode.argumentError)
    }

    static func list(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        var invocation = invocation
        invocation.mergeConfig(section: "node.list")
        let arguments = invocation.arguments
        let table = invocation.makeTable()
        let showProps = invocation.showPropColumns()
        let request = RESTRequest.nodes(names: arguments.strings("nodes"), props: arguments.strings("props"))
        return try await invocation.list(request, shape: .nodes) { nodes in
            NodeTables.list(
                nodes,
                table: table,
                groupBy: invocation.groupBy(default: "Node"),
                showProps: showProps,
                showAuxProps: arguments.flag("show_aux_props")
            )
        }
    }

    static func listProperties(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        let name = invocation.arguments.required("node_name")
        let nodes = try await invocation.fetchList(.nodes(names: [name]))
        guard let node = nodes.arrayValue.first(where: { $0.text("name").lowercased() == name.lowercased() }) else {
            throw CLIFailure.message("Node '\(name)' not found on controller.", exitCode: ExitCode.objectNotFound)
        }
        return invocation.printProperties(node.props)
    }
}
