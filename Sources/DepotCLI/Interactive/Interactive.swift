import DepotClient

/// Interactive mode: a `depot ==> ` prompt reading one command per line.
///
/// On a terminal the line editor gives history and completion of command words; from a pipe lines
/// are read plainly. `exit`/`quit`/end of input end the session; a connection error ends it with
/// exit code 20, as in LINSTOR's client.
@MainActor
struct Interactive {
    let runner: CommandLineRunner

    static let prompt = "depot ==> "

    func run() async -> Int32 {
        let session = self.runner.session
        session.isInteractive = true
        session.console.out(CommandTree.commandList() + "\n")
        var prompt = Self.prompt
        if session.globals.verbose {
            // As LINSTOR's client: with -V the prompt names the controller, so connect first.
            do {
                prompt = "depot(\(try await session.connectedClient().endpoint)) ==> "
            } catch {
                return error.exitCode
            }
        }
        var reader = LineReader(root: self.runner.root, environment: session.environment)
        defer { reader.saveHistory() }
        var lastCode = ExitCode.ok
        while true {
            guard let line = reader.readLine(prompt: prompt) else {
                session.console.out("\n")
                return lastCode
            }
            var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            if words.first == "linstor" || words.first == "depot" { words.removeFirst() }
            guard let first = words.first else {
                session.console.out(CommandTree.commandList())
                session.console.out("\n")
                continue
            }
            if first == "exit" || first == "quit" { return ExitCode.ok }
            if first == "interactive" {
                session.console.err("The client is already running in interactive mode\n")
                session.console.out("\n")
                continue
            }
            let commandWords = GlobalOptions.split(words).command
            let normalized = CommandTree.normalizeSpelling(commandWords, root: self.runner.root)
            if let word = normalized.first, self.runner.root.subcommand(word) == nil {
                session.console.out("\nCommand \"\(first)\" not known!\n" + CommandTree.commandList())
                lastCode = ExitCode.argumentError
                session.console.out("\n")
                continue
            }
            lastCode = await self.runner.executeLine(words)
            if lastCode == ExitCode.argumentError, !words.contains("-h"), !words.contains("--help") {
                session.console.err("\nIncorrect syntax. Use 'help \(first)' for more information:\n")
            }
            session.console.out("\n")
            if lastCode == ExitCode.connectionError { return lastCode }
        }
    }
}
