import DepotClient
import DepotModel

/// `depot key-value-store …` (`kv`): the instances drivers keep their metadata in (linstor-client
/// `key_value_store.py`).
@MainActor
enum KeyValueStoreCommands {
    static func make() -> CommandSpec {
        let instance = PositionalSpec("instance", help: "Key-value store instance to operate on")
        return CommandSpec(
            group: "key-value-store",
            aliases: ["kv"],
            "Key-value store subcommands",
            [
                CommandSpec(
                    "list",
                    aliases: ["l"],
                    "Lists all key-value store instances.",
                    options: [CommonOptions.pastable],
                    action: { invocation throws(CLIFailure) in
                        let table = invocation.makeTable()
                        return try await invocation.list(.keyValueStores, shape: .unchanged) { stores in
                            KeyValueStoreTables.list(stores, table: table)
                        }
                    }
                ),
                CommandSpec(
                    "show",
                    aliases: ["s"],
                    "Lists all key-value pairs in a key-value store instance.",
                    options: [CommonOptions.pastable],
                    positionals: [instance],
                    action: Self.show
                ),
                CommandSpec(
                    "modify",
                    aliases: ["m"],
                    "Modify the value for a given key in the key-value store.",
                    positionals: [
                        instance,
                        PositionalSpec("key", help: "Key to modify"),
                        PositionalSpec("value", .optional, help: "Value to set key to. If empty the key will be removed."),
                    ],
                    action: { invocation throws(CLIFailure) in
                        try await invocation.reply(
                            .modifyKeyValueStore(invocation.arguments.required("instance"), invocation.propertyChangeBody()))
                    }
                ),
            ]
        )
    }

    /// An instance the controller does not know has no properties: an empty table, as LINSTOR's
    /// client shows it (an instance exists only while it has a property). Any other failure is
    /// printed as replies.
    private static func show(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        let request = RESTRequest.keyValueStore(invocation.arguments.required("instance"))
        let response = try await invocation.session.send(request)
        let replies = response.apiCallReplies()
        let props: JSONValue
        if let replies, replies.contains(where: { ReturnCode(rawValue: $0.retCode) == .failNotFoundKeyValueStore }) {
            props = .object([])
        } else if response.status < 400, replies == nil, let stores = try? response.json() {
            props = stores.arrayValue.first?.props ?? .object([])
        } else {
            return invocation.print(try invocation.replies(of: response, request: request))
        }
        if invocation.globals.machineReadable {
            invocation.console.out(KeyValueStoreTables.machineReadable(props))
        } else {
            invocation.console.out(KeyValueStoreTables.show(props, table: invocation.makeTable()))
        }
        return ExitCode.ok
    }
}
