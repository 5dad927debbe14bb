import DepotClient

/// `depot node interface …` (`n i`): a node's network interfaces.
@MainActor
enum NodeInterfaceCommands {
    static let communicationType = OptionSpec(
        ["--communication-type"],
        .single,
        help: "Communication type (default: plain)",
        choices: ["plain", "ssl"],
        lowercase: true
    )

    static func make() -> CommandSpec {
        CommandSpec(
            group: "interface",
            aliases: ["i"],
            "interface subcommands",
            [
                CommandSpec(
                    "create",
                    aliases: ["c"],
                    "Creates and adds a new network interface to a given node. If a port is specified this network interface is used as satellite port.",
                    options: [
                        OptionSpec(["-p", "--port"], .single, help: "Port to use for satellite connections"),
                        Self.communicationType,
                        OptionSpec(["--active"], help: "Create this net interface as the active satellite connection"),
                    ],
                    positionals: [
                        PositionalSpec("node_name", help: "Name of the node to add the net interface"),
                        PositionalSpec("interface_name", help: "Interface name"),
                        PositionalSpec("ip", help: "New IP address for the network interface"),
                    ],
                    action: Self.create
                ),
                CommandSpec(
                    "list",
                    aliases: ["l"],
                    "Prints a list of network interfaces for a specified node.",
                    options: [CommonOptions.pastable],
                    positionals: [PositionalSpec("node_name", help: "Node name for which to print the net interfaces")],
                    action: Self.list
                ),
                CommandSpec(
                    "modify",
                    aliases: ["m"],
                    "Modify the network interface of a specified node: port number, communication type, active satellite connection state, IP address listening on.",
                    options: [
                        OptionSpec(["-p", "--port"], .single, help: "Port to use for satellite connections"),
                        Self.communicationType,
                        OptionSpec(["--active"], help: "Set this net interface as the active satellite connection"),
                        OptionSpec(["--ip"], .single, help: "New IP address for the network interface"),
                    ],
                    positionals: [
                        PositionalSpec("node_name", help: "Name of the node"),
                        PositionalSpec("interface_name", help: "Interface to change"),
                    ],
                    action: Self.modify
                ),
                CommandSpec(
                    "delete",
                    aliases: ["d"],
                    "Delete a network interface from a node.",
                    positionals: [
                        PositionalSpec("node_name", help: "Name of the node to remove the net interface"),
                        PositionalSpec("interface_name", .oneOrMore, help: "Interface name"),
                    ],
                    action: { invocation throws(CLIFailure) in
                        let node = invocation.arguments.required("node_name")
                        let names = invocation.arguments.strings("interface_name") ?? []
                        return try await invocation.reply(names.map { .deleteNetInterface(node, $0) })
                    }
                ),
            ]
        )
    }

    static func create(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        let arguments = invocation.arguments
        var body: [(String, JSONValue)] = [
            ("name", .string(arguments.required("interface_name"))), ("address", .string(arguments.required("ip"))),
        ]
        if let port = try arguments.integer("port", option: "-p/--port", in: 1...65535) {
            body.append(("satellite_port", .integer(Int64(port))))
            body.append(("satellite_encryption_type", .string(arguments.string("communication_type") ?? "plain")))
        }
        body.append(("is_active", .bool(arguments.flag("active"))))
        return try await invocation.reply(.createNetInterface(arguments.required("node_name"), .makeObject(body)))
    }

    static func modify(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        let arguments = invocation.arguments
        let name = arguments.required("interface_name")
        var body: [(String, JSONValue)] = [("name", .string(name))]
        if let address = arguments.string("ip") { body.append(("address", .string(address))) }
        if let port = try arguments.integer("port", option: "-p/--port", in: 1...65535) {
            body.append(("satellite_port", .integer(Int64(port))))
        }
        // As LINSTOR's client: the encryption type (default plain) and is_active always go out.
        body.append(("satellite_encryption_type", .string(arguments.string("communication_type") ?? "plain")))
        body.append(("is_active", .bool(arguments.flag("active"))))
        return try await invocation.reply(.modifyNetInterface(arguments.required("node_name"), name, .makeObject(body)))
    }

    static func list(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        let name = invocation.arguments.required("node_name")
        let table = invocation.makeTable()
        return try await invocation.list(.nodes(names: [name]), shape: .nodes) { nodes throws(CLIFailure) in
            guard let node = nodes.arrayValue.first(where: { $0.text("name").lowercased() == name.lowercased() }) else {
                throw CLIFailure.message("Node '\(name)' not found on controller.", exitCode: ExitCode.objectNotFound)
            }
            return NodeTables.interfaces(node, table: table)
        }
    }
}
