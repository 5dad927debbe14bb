import DepotClient
import DepotModel

/// `depot node-connection …` (`nc`) and `depot resource-connection …` (`rc`): settings and paths
/// for the replication link between two nodes (linstor-client `node_conn_cmds.py`, `rsc_conn_cmds.py`).
@MainActor
enum ConnectionCommands {
    static let nodeHeaders = ["Node A", "Node B", "Properties"]
    static let resourceHeaders = ["Source", "Target", "Properties", "Port"]

    /// Where a command's connection is: two nodes, and for `rc` a resource after them.
    struct Target {
        let nodeA: String
        let nodeB: String
        let resource: String?

        @MainActor init(_ arguments: ParsedArguments, resource: Bool) {
            self.nodeA = arguments.required("node_a")
            self.nodeB = arguments.required("node_b")
            self.resource = resource ? arguments.required("resource_name") : nil
        }

        func modify(_ body: JSONValue) -> RESTRequest {
            guard let resource else { return .modifyNodeConnection(self.nodeA, self.nodeB, body) }
            return .modifyResourceConnection(resource, self.nodeA, self.nodeB, body)
        }

        var read: RESTRequest {
            guard let resource else { return .nodeConnections(self.nodeA, self.nodeB) }
            return .resourceConnection(resource, self.nodeA, self.nodeB)
        }

        func pathKey(_ path: String, _ node: String) -> String { ConnectionPath.prefix + path + "/" + node }
    }

    static func nodeConnection() -> CommandSpec {
        CommandSpec(
            group: "node-connection",
            aliases: ["nc"],
            "Node connection subcommands",
            [
                CommandSpec(
                    "list",
                    aliases: ["l"],
                    "Prints a list of all node connections, or those of the given nodes.",
                    options: [CommonOptions.pastable, CommonOptions.groupBy(Self.nodeHeaders), CommonOptions.showProps],
                    positionals: [
                        PositionalSpec("node_a", .optional, help: "Filter by the first node"),
                        PositionalSpec("node_b", .optional, help: "Filter by the second node"),
                    ],
                    action: { invocation throws(CLIFailure) in
                        let request = RESTRequest.nodeConnections(invocation.arguments.string("node_a"), invocation.arguments.string("node_b"))
                        let table = invocation.makeTable()
                        return try await invocation.list(request, shape: .unchanged) { connections in
                            Self.table(connections, headers: Self.nodeHeaders, table: table, invocation: invocation)
                        }
                    }
                )
            ] + Self.common(resource: false)
        )
    }

    static func resourceConnection() -> CommandSpec {
        CommandSpec(
            group: "resource-connection",
            aliases: ["rc"],
            "Resource connection subcommands",
            [
                CommandSpec(
                    "list",
                    aliases: ["l"],
                    "Prints a list of all resource connections for the given resource.",
                    options: [CommonOptions.pastable, CommonOptions.groupBy(Self.resourceHeaders), CommonOptions.showProps],
                    positionals: [PositionalSpec("resource_name", help: "Resource name")],
                    action: { invocation throws(CLIFailure) in
                        let table = invocation.makeTable()
                        return try await invocation.list(.resourceConnections(invocation.arguments.required("resource_name")), shape: .unchanged) {
                            connections in
                            Self.table(connections, headers: Self.resourceHeaders, table: table, invocation: invocation)
                        }
                    }
                )
            ] + Self.common(resource: true)
        )
    }

    /// set-property, list-properties and path, the same for both kinds.
    private static func common(resource: Bool) -> [CommandSpec] {
        let pair =
            [
                PositionalSpec("node_a", help: "Node name source of the connection."),
                PositionalSpec("node_b", help: "Node name target of the connection."),
            ] + (resource ? [PositionalSpec("resource_name", help: "Resource name")] : [])
        return [
            DRBDOptionCommands.command(
                "drbd-peer-options", aliases: ["popt"], "Set DRBD peer options (net and peer-device) of the connection.",
                sections: DRBDOptionCommands.peer, positionals: pair,
                request: { arguments, body throws(CLIFailure) in Target(arguments, resource: resource).modify(body) }),
            CommandSpec(
                "set-property",
                aliases: ["sp"],
                "Sets properties for the given \(resource ? "resource" : "node") connection.",
                options: [CommonOptions.aux],
                positionals: pair + CommonOptions.keyValue(resource ? .resourceConnection : .nodeConnection),
                action: { invocation throws(CLIFailure) in
                    try await invocation.reply(Target(invocation.arguments, resource: resource).modify(invocation.propertyChangeBody()))
                }
            ),
            CommandSpec(
                "list-properties",
                aliases: ["lp"],
                "Prints all properties of the given \(resource ? "resource" : "node") connection.",
                options: [CommonOptions.pastable],
                positionals: pair,
                action: { invocation throws(CLIFailure) in
                    let target = Target(invocation.arguments, resource: resource)
                    let connections = try await invocation.fetch(target.read)
                    return invocation.printProperties(connections.arrayValue.first.map { $0["props"] ?? .object([]) })
                }
            ),
            CommandSpec(
                group: "path",
                aliases: ["p"],
                "path subcommands",
                [
                    CommandSpec(
                        "create",
                        aliases: ["c"],
                        "Creates a new path for DRBD between the two nodes.",
                        positionals: pair + [
                            PositionalSpec("path_name", help: "Name of the created path"),
                            PositionalSpec("netinterface_a", help: "Netinterface name to use for 1. node"),
                            PositionalSpec("netinterface_b", help: "Netinterface name to use for the 2. node"),
                        ],
                        action: { invocation throws(CLIFailure) in
                            let arguments = invocation.arguments
                            let target = Target(arguments, resource: resource)
                            let path = arguments.required("path_name")
                            let props = [
                                (target.pathKey(path, target.nodeA), arguments.required("netinterface_a")),
                                (target.pathKey(path, target.nodeB), arguments.required("netinterface_b")),
                            ]
                            return try await invocation.reply(target.modify(.makeObject([("override_props", .stringMap(props))])))
                        }
                    ),
                    CommandSpec(
                        "list",
                        aliases: ["l"],
                        "Prints the paths of the connection.",
                        options: [CommonOptions.pastable],
                        positionals: pair,
                        action: { invocation throws(CLIFailure) in
                            let target = Target(invocation.arguments, resource: resource)
                            let connection = try await invocation.fetch(target.read).arrayValue.first
                            let paths = connection?.props.objectMembers.filter { $0.key.hasPrefix(ConnectionPath.prefix) } ?? []
                            return invocation.printProperties(connection == nil ? nil : .object(paths))
                        }
                    ),
                    CommandSpec(
                        "delete",
                        aliases: ["d"],
                        "Deletes an existing path.",
                        positionals: pair + [PositionalSpec("path_name", help: "Name of the path to delete")],
                        action: { invocation throws(CLIFailure) in
                            let target = Target(invocation.arguments, resource: resource)
                            let path = invocation.arguments.required("path_name")
                            let keys = [target.pathKey(path, target.nodeA), target.pathKey(path, target.nodeB)]
                            return try await invocation.reply(target.modify(.makeObject([("delete_props", .strings(keys))])))
                        }
                    ),
                ]
            ),
        ]
    }

    /// `Node A | Node B | Properties` (resource connections: `Source | Target | Properties | Port`);
    /// properties as `name=value` by the key's last part, cut after 30 characters as LINSTOR's client does.
    static func table(_ connections: JSONValue, headers: [String], table: TextTable, invocation: CommandInvocation) -> String {
        var table = table
        for header in headers { table.addColumn(header) }
        let showProps = invocation.showPropColumns()
        table.addColumns(showProps)
        table.groupBy = invocation.groupBy(default: headers[0])
        for connection in connections.arrayValue where !connection.flags.contains("DELETED") {
            let props = connection.props.objectMembers.map { member in
                (member.key.split(separator: "/").last.map(String.init) ?? member.key) + "=" + member.value.displayText
            }.joined(separator: ",")
            var row = [
                TextTable.Cell(connection.text("node_a")), TextTable.Cell(connection.text("node_b")),
                TextTable.Cell(props.count < 30 ? props : String(props.prefix(30)) + "..."),
            ]
            if headers.count > 3 { row.append(TextTable.Cell(connection["port"]?.int64Value.map(String.init) ?? "")) }
            row += connection.cells(showProps)
            table.addRow(row)
        }
        return table.render()
    }
}
