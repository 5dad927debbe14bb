/// The whole command tree of `depot`, and the article's spellings of it.
@MainActor
enum CommandTree {
    static func make() -> CommandSpec {
        var root = CommandSpec(
            group: "depot",
            "",
            [
                ControllerCommands.make(),
                ControllerCommands.errorReports(),
                KeyValueStoreCommands.make(),
                EncryptionCommands.make(),
                EventCommands.make(),
                NodeCommands.make(),
                ConnectionCommands.nodeConnection(),
                ConnectionCommands.resourceConnection(),
                PhysicalStorageCommands.make(),
                ResourceCommands.make(),
                ResourceDefinitionCommands.make(),
                ResourceGroupCommands.make(),
                SnapshotCommands.make(),
                SosReportCommands.make(),
                StoragePoolCommands.make(),
                VolumeCommands.make(),
                VolumeDefinitionCommands.make(),
                VolumeGroupCommands.make(),
                CommandSpec(
                    "help",
                    "Print help for a command",
                    positionals: [PositionalSpec("command", .zeroOrMore, help: "The command to describe")],
                    action: Self.help
                ),
                CommandSpec(
                    "list-commands",
                    aliases: ["commands", "list"],
                    "List available commands",
                    options: [OptionSpec(["-t", "--tree"], help: "Print a tree view of all commands.")],
                    action: { invocation throws(CLIFailure) in
                        invocation.console.out(Self.commandList(tree: invocation.arguments.flag("tree")))
                        return ExitCode.ok
                    }
                ),
                CommandSpec("interactive", "Start interactive mode") { invocation throws(CLIFailure) in
                    if invocation.session.isInteractive {
                        invocation.console.err("The client is already running in interactive mode\n")
                        return ExitCode.ok
                    }
                    return await Interactive(runner: CommandLineRunner(session: invocation.session)).run()
                },
            ]
        )
        var exit = CommandSpec("exit", aliases: ["quit"], "Only useful in interactive mode") { _ throws(CLIFailure) in
            ExitCode.ok
        }
        exit.isHidden = true
        root.subcommands.append(exit)
        root.subcommands.sort { $0.name < $1.name }
        return root
    }

    /// `Use "help <command>" …` and one `- name (aliases)` line per command.
    static func commandList(tree: Bool = false) -> String {
        var text = "Use \"help <command>\" to get help for a specific command.\n\nAvailable commands:\n"
        for command in Self.make().subcommands where !command.isHidden {
            if tree {
                text += Self.tree(command, indent: 0)
            } else {
                text +=
                    "- " + command.name
                    + (command.aliases.isEmpty ? "" : " (" + command.aliases.joined(separator: ", ") + ")") + "\n"
            }
        }
        return text
    }

    private static func tree(_ command: CommandSpec, indent: Int) -> String {
        let shortest = command.aliases.min { $0.count < $1.count }
        var text =
            String(repeating: " ", count: indent) + "- " + command.name + (shortest.map { " (\($0))" } ?? "") + "\n"
        for sub in command.subcommands.sorted(by: { $0.name < $1.name }) where !sub.isHidden {
            text += Self.tree(sub, indent: indent + 2)
        }
        return text
    }

    static func help(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        let words = invocation.arguments.strings("command") ?? []
        guard !words.isEmpty else {
            invocation.console.out(Self.commandList())
            return ExitCode.ok
        }
        return await CommandLineRunner(session: invocation.session).execute(words + ["--help"])
    }

    /// The article's spellings with a space (`volume definition create`, `resource definition delete`):
    /// two words that name a top-level command when joined by `-`, where the second is not a
    /// subcommand of the first.
    static func normalizeSpelling(_ words: [String], root: CommandSpec) -> [String] {
        guard words.count >= 2 else { return words }
        let joined = words[0] + "-" + words[1]
        guard let command = root.subcommand(joined), command.name == joined else { return words }
        if let first = root.subcommand(words[0]), first.subcommand(words[1]) != nil { return words }
        return [joined] + words.dropFirst(2)
    }
}
