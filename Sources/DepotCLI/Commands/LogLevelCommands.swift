import DepotClient

/// `controller set-log-level` and `node set-log-level` (`setloglevel`), as linstor-client has them.
@MainActor
enum LogLevelCommands {
    static let levels = ["ERROR", "WARN", "INFO", "DEBUG", "TRACE"]

    static func controller() -> CommandSpec {
        CommandSpec(
            "set-log-level",
            aliases: ["setloglevel"],
            "Sets the log level",
            options: [
                OptionSpec(["--library", "--lib"], help: "Modify the log level of external libraries instead of LINSTOR itself"),
                OptionSpec(["--global"], dest: "glob", help: "Set the log level for the controller and ALL satellites"),
            ],
            positionals: [PositionalSpec("level", metavar: "{" + Self.levels.joined(separator: ",") + "}")],
            action: { invocation throws(CLIFailure) in
                let body = try Self.body(invocation, global: invocation.arguments.flag("glob"))
                return try await invocation.reply(.setControllerConfig(body))
            }
        )
    }

    static func node() -> CommandSpec {
        CommandSpec(
            "set-log-level",
            aliases: ["setloglevel"],
            "Sets the log level",
            options: [OptionSpec(["--library", "--lib"], help: "Modify the log level of external libraries instead of LINSTOR itself")],
            positionals: [
                PositionalSpec("node_name", help: "Node to set the log level"),
                PositionalSpec("level", metavar: "{" + Self.levels.joined(separator: ",") + "}"),
            ],
            action: { invocation throws(CLIFailure) in
                let body = try Self.body(invocation, global: false)
                return try await invocation.reply(.setNodeConfig(invocation.arguments.required("node_name"), body))
            }
        )
    }

    /// `{"log": {"level[_linstor][_global]": LEVEL}}`, as python-linstor builds it.
    private static func body(_ invocation: CommandInvocation, global: Bool) throws(CLIFailure) -> JSONValue {
        let given = invocation.arguments.required("level")
        guard Self.levels.contains(given.uppercased()) else {
            throw CLIFailure.usage(
                "argument level: invalid choice: '\(given)' (choose from " + Self.levels.map { "'\($0)'" }.joined(separator: ", ") + ")")
        }
        var key = "level"
        if !invocation.arguments.flag("library") { key += "_linstor" }
        if global { key += "_global" }
        return .makeObject([("log", .makeObject([(key, .string(given.uppercased()))]))])
    }
}
