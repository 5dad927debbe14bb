/// One external program invocation, described as data: an executable and an argv array.
///
/// A command never passes through a shell: each argument reaches the program exactly as given,
/// so `$(…)`, `;` or spaces in a name are just characters. ``commandLine`` renders the command
/// shell-quoted for messages only; nothing ever executes that string.
public struct Command: Sendable, Hashable {
    /// An absolute path, or a program name resolved through the `PATH` the command runs with.
    public var executable: String
    /// The arguments after the program name (`argv[1...]`).
    public var arguments: [String]
    /// Variables added to the minimal environment a runner passes down (see ``SubprocessCommandRunner``).
    public var environment: [String: String]
    /// How long the program may run before it is terminated (SIGTERM, then SIGKILL).
    public var timeout: Duration
    /// Bytes written to the program's standard input; `nil` connects it to `/dev/null`.
    public var stdin: [UInt8]?

    /// The default timeout, LINSTOR's `ExtCmd` wait of 45 s.
    public static let defaultTimeout: Duration = .seconds(45)

    /// Creates a command.
    ///
    /// - Parameters:
    ///   - executable: An absolute path or a program name looked up in `PATH`.
    ///   - arguments: The arguments, one array element per argument.
    ///   - environment: Variables to add to the runner's minimal environment.
    ///   - timeout: The longest the program may run.
    ///   - stdin: Bytes to feed to standard input, or `nil` for `/dev/null`.
    public init(
        _ executable: String,
        _ arguments: [String] = [],
        environment: [String: String] = [:],
        timeout: Duration = Command.defaultTimeout,
        stdin: [UInt8]? = nil
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.timeout = timeout
        self.stdin = stdin
    }

    /// The command as one line for messages and logs, each word shell-quoted where needed.
    ///
    /// Environment additions are shown as `KEY=value` prefixes. This is for display only.
    public var commandLine: String {
        let assignments = self.environment.keys.sorted().map { key in
            "\(key)=\(Self.shellQuoted(self.environment[key] ?? ""))"
        }
        let words = [self.executable] + self.arguments
        return (assignments + words.map(Self.shellQuoted)).joined(separator: " ")
    }

    /// Quotes `word` the way a POSIX shell would need it, leaving plain words alone.
    static func shellQuoted(_ word: String) -> String {
        guard !word.isEmpty else { return "''" }
        let plain = word.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9": true
            case "-", "_", ".", "/", ":", "=", ",", "+", "@", "%": true
            default: false
            }
        }
        if plain { return word }
        return "'" + word.replacing("'", with: "'\\''") + "'"
    }
}
