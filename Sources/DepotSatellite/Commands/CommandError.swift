/// A command that could not be started, ran too long, or failed.
///
/// This is what reaches a REST caller when a storage operation fails: the command line, the exit
/// code and the end of standard error (the last ``stderrTailLineLimit`` lines), as LINSTOR reports
/// failed external commands.
public struct CommandError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why a command failed. New codes may be added; switch with a `default`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: Sendable, Hashable {
            case launchFailed
            case timedOut
            case nonZeroExit
            case cancelled
        }

        private let value: Value

        private init(_ value: Value) {
            self.value = value
        }

        /// The program could not be started (not found, not executable, spawn failed).
        public static let launchFailed = Code(.launchFailed)
        /// The program ran longer than its timeout and was terminated.
        public static let timedOut = Code(.timedOut)
        /// The program exited with a code the caller did not accept, or was ended by a signal.
        public static let nonZeroExit = Code(.nonZeroExit)
        /// The task that ran the program was cancelled and the program was terminated.
        public static let cancelled = Code(.cancelled)

        public var description: String {
            switch self.value {
            case .launchFailed: "launch failed"
            case .timedOut: "timed out"
            case .nonZeroExit: "non-zero exit"
            case .cancelled: "cancelled"
            }
        }
    }

    /// How many trailing stderr lines an error keeps.
    public static let stderrTailLineLimit = 20

    /// Why the command failed.
    public var code: Code
    /// The command line, shell-quoted for display (see ``Command/commandLine``).
    public var commandLine: String
    /// The exit code, when the program ran to an exit.
    public var exitCode: Int32?
    /// The last lines of standard error (at most ``stderrTailLineLimit``).
    public var stderrTail: String
    /// More detail: the launch failure's reason, or the timeout that passed.
    public var detail: String?
    /// Where the error was raised.
    public var file: String
    /// The line where the error was raised.
    public var line: Int

    /// Creates an error; `stderr` is reduced to its last lines.
    public init(
        _ code: Code,
        command: Command,
        exitCode: Int32? = nil,
        stderr: String = "",
        detail: String? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.commandLine = command.commandLine
        self.exitCode = exitCode
        self.stderrTail = Self.tail(of: stderr)
        self.detail = detail
        self.file = file
        self.line = line
    }

    public var description: String {
        var text: String
        switch self.code {
        case .launchFailed: text = "Command '\(self.commandLine)' could not be started"
        case .timedOut: text = "Command '\(self.commandLine)' timed out"
        case .cancelled: text = "Command '\(self.commandLine)' was cancelled"
        default: text = "Command '\(self.commandLine)' failed with exit code \(self.exitCode.map(String.init) ?? "?")"
        }
        if let detail = self.detail { text += " (\(detail))" }
        if !self.stderrTail.isEmpty { text += ". Standard error:\n" + self.stderrTail }
        return text
    }

    /// The last ``stderrTailLineLimit`` lines of `text` without trailing blank lines, at most 4096 characters.
    static func tail(of text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(Self.trimmingTrailingWhitespace)
        while lines.last?.isEmpty == true { lines.removeLast() }
        var joined = lines.suffix(Self.stderrTailLineLimit).joined(separator: "\n")
        if joined.count > 4096 { joined = "…" + String(joined.suffix(4096)) }
        return joined
    }

    private static func trimmingTrailingWhitespace(_ line: Substring) -> String {
        var end = line.endIndex
        while end > line.startIndex {
            let previous = line.index(before: end)
            guard line[previous].isWhitespace else { break }
            end = previous
        }
        return String(line[line.startIndex..<end])
    }
}
