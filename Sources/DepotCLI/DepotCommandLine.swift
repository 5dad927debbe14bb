import Foundation

/// The entry point of the `depot` executable.
public enum DepotCommandLine {
    /// The client's own version, printed by `depot --version`.
    public static let version = "0.1.0"

    /// Runs one invocation (or an interactive session) and returns the process exit code.
    @MainActor
    public static func run(arguments: [String]) async -> Int32 {
        let environment = ProcessInfo.processInfo.environment
        var words = ClientConfig.environmentWords(environment) + arguments
        var config = ClientConfig()
        if !words.contains("--disable-config") {
            config = ClientConfig.load(environment: environment)
            words = config.globalWords + words
        }
        let runner = CommandLineRunner(
            session: Session(
                globals: GlobalOptions(stdoutIsTerminal: Console.stdoutIsTerminal, environment: environment),
                environment: environment,
                config: config
            )
        )
        return await runner.main(words)
    }
}
