import DepotClient

/// `depot encryption …` (`e`): the master passphrase, as linstor-client's `encryption` commands ask
/// for it (prompts without echo unless given with the option).
@MainActor
enum EncryptionCommands {
    static func make() -> CommandSpec {
        CommandSpec(
            group: "encryption",
            aliases: ["e"],
            "Encryption subcommands",
            [
                CommandSpec(
                    "create-passphrase",
                    aliases: ["cp"],
                    "Create a new master passphrase; volume passphrases are kept encrypted with it.",
                    options: [OptionSpec(["-p", "--passphrase"], .single, help: "Passphrase used for encryption")],
                    action: { invocation throws(CLIFailure) in
                        let passphrase = try Self.given(invocation, "passphrase") { () throws(CLIFailure) in try Passphrase.prompt(twice: true) }
                        return try await invocation.reply(.createPassphrase(passphrase))
                    }
                ),
                CommandSpec(
                    "enter-passphrase",
                    aliases: ["ep"],
                    "Enter the master passphrase after a controller start, so encrypted volumes can be opened.",
                    options: [OptionSpec(["-p", "--passphrase"], .single, help: "Passphrase used for encryption")],
                    action: { invocation throws(CLIFailure) in
                        let passphrase = invocation.arguments.string("passphrase") ?? Passphrase.read("Passphrase: ")
                        return try await invocation.reply(.enterPassphrase(passphrase))
                    }
                ),
                CommandSpec(
                    "modify-passphrase",
                    aliases: ["mp"],
                    "Change the master passphrase; the volumes' own passphrases stay as they are.",
                    options: [
                        OptionSpec(["--old-passphrase"], .single, help: "Old passphrase used for encryption"),
                        OptionSpec(["--new-passphrase"], .single, help: "New passphrase used for encryption"),
                    ],
                    action: { invocation throws(CLIFailure) in
                        let old = invocation.arguments.string("old_passphrase") ?? Passphrase.read("Old passphrase: ")
                        let new = try Self.given(invocation, "new_passphrase") { () throws(CLIFailure) in try Passphrase.promptNew() }
                        return try await invocation.reply(.modifyPassphrase(old: old, new: new))
                    }
                ),
            ]
        )
    }

    /// The option's value, or what `ask` reads at the terminal.
    private static func given(_ invocation: CommandInvocation, _ dest: String, ask: () throws(CLIFailure) -> String) throws(CLIFailure) -> String {
        if let value = invocation.arguments.string(dest) { return value }
        return try ask()
    }
}
