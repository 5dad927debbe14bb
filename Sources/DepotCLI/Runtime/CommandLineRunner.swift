/// Finds the command a line of words names and runs it, printing failures as LINSTOR's client does.
@MainActor
struct CommandLineRunner {
    let session: Session
    let root: CommandSpec

    init(session: Session) {
        self.session = session
        self.root = CommandTree.make()
    }

    /// Handles global options, then runs the command, or interactive mode when there is none.
    func main(_ words: [String]) async -> Int32 {
        let (globalWords, commandWords) = GlobalOptions.split(words)
        let globalSpec = CommandSpec("depot", "", options: GlobalOptions.options) { _ throws(CLIFailure) in 0 }
        do {
            let parsed = try ArgumentParser(spec: globalSpec, program: "depot").parse(globalWords)
            try self.session.globals.apply(parsed)
        } catch {
            return self.report(error, spec: self.rootHelpSpec, program: "depot")
        }
        if self.session.globals.showVersion {
            self.session.console.out("depot \(DepotCommandLine.version) (linstor-client 1.27.0 grammar)\n")
            return ExitCode.ok
        }
        if commandWords.isEmpty {
            return await Interactive(runner: self).run()
        }
        return await self.execute(commandWords)
    }

    /// The root as the help shows it: global options and the command groups.
    var rootHelpSpec: CommandSpec {
        var spec = self.root
        spec.options = GlobalOptions.options
        spec.summary =
            "depot: the command-line client of Depot. It speaks LINSTOR's grammar (depot node create … is "
            + "linstor node create …) to a controller's REST API. Without a command it starts interactive mode."
        return spec
    }

    /// Runs one interactive line: its own global options (`-m n l`) apply to this command only; the
    /// connection of the session is kept, so a later `--controllers` has no effect (as in LINSTOR).
    func executeLine(_ words: [String]) async -> Int32 {
        let (globalWords, commandWords) = GlobalOptions.split(words)
        guard !globalWords.isEmpty else { return await self.execute(commandWords) }
        let saved = self.session.globals
        defer { self.session.globals = saved }
        let globalSpec = CommandSpec("depot", "", options: GlobalOptions.options) { _ throws(CLIFailure) in 0 }
        do {
            try self.session.globals.apply(try ArgumentParser(spec: globalSpec, program: "depot").parse(globalWords))
        } catch {
            return self.report(error, spec: self.rootHelpSpec, program: "depot")
        }
        return await self.execute(commandWords)
    }

    /// Runs one command line (already split into words).
    func execute(_ rawWords: [String]) async -> Int32 {
        var words = CommandTree.normalizeSpelling(rawWords, root: self.root)
        if words.first == "linstor" || words.first == "depot" { words.removeFirst() }
        guard !words.isEmpty else { return ExitCode.ok }
        var spec = self.root
        var path: [String] = []
        while spec.action == nil {
            let program = (["depot"] + path).joined(separator: " ")
            guard let word = words.first else {
                return self.report(.usage("too few arguments"), spec: spec, program: program)
            }
            if word == "-h" || word == "--help" {
                return self.report(.help, spec: path.isEmpty ? self.rootHelpSpec : spec, program: program)
            }
            guard let next = spec.subcommand(word) else {
                let choices = spec.subcommands.filter { !$0.isHidden }.map { "'\($0.name)'" }.joined(separator: ", ")
                return self.report(
                    .usage("argument command: invalid choice: '\(word)' (choose from \(choices))"),
                    spec: spec,
                    program: program
                )
            }
            words.removeFirst()
            spec = next
            path.append(next.name)
        }
        let program = (["depot"] + path).joined(separator: " ")
        do {
            let parsed = try ArgumentParser(spec: spec, program: program).parse(words)
            guard let action = spec.action else { return ExitCode.ok }
            return try await action(CommandInvocation(session: self.session, arguments: parsed, path: path))
        } catch {
            return self.report(error, spec: spec, program: program)
        }
    }

    /// Prints a failure and returns its exit code.
    func report(_ failure: CLIFailure, spec: CommandSpec, program: String) -> Int32 {
        let console = self.session.console
        let formatter = HelpFormatter(program: program)
        switch failure.kind {
        case .usage:
            console.err(formatter.usage(spec) + "\(program): error: \(failure.message)\n")
        case .help:
            console.out(formatter.help(spec))
        case .message:
            console.err(failure.message + "\n")
        case .reported:
            break
        }
        return failure.exitCode
    }
}
