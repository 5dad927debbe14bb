/// A node of the command tree: a group of subcommands, or a command with options and an action.
@MainActor
struct CommandSpec {
    typealias Action = @MainActor (CommandInvocation) async throws(CLIFailure) -> Int32

    var name: String
    var aliases: [String]
    var summary: String
    var options: [OptionSpec]
    var positionals: [PositionalSpec]
    var subcommands: [CommandSpec]
    var action: Action?
    /// Left out of command lists and help (`exit`, `quit`).
    var isHidden = false

    /// A command with an action.
    init(
        _ name: String,
        aliases: [String] = [],
        _ summary: String,
        options: [OptionSpec] = [],
        positionals: [PositionalSpec] = [],
        action: @escaping Action
    ) {
        self.name = name
        self.aliases = aliases
        self.summary = summary
        self.options = options
        self.positionals = positionals
        self.subcommands = []
        self.action = action
    }

    /// A group of subcommands.
    init(group name: String, aliases: [String] = [], _ summary: String, _ subcommands: [CommandSpec]) {
        self.name = name
        self.aliases = aliases
        self.summary = summary
        self.options = []
        self.positionals = []
        self.subcommands = subcommands
        self.action = nil
    }

    /// The subcommand called `word` (by name or alias).
    func subcommand(_ word: String) -> CommandSpec? {
        self.subcommands.first { $0.name == word || $0.aliases.contains(word) }
    }

    /// Every word that selects this command.
    var words: [String] { [self.name] + self.aliases }
}
