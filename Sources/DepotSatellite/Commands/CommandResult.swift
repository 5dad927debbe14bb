/// What a finished command produced: its exit code and its output, stdout and stderr apart.
public struct CommandResult: Sendable, Hashable {
    /// The exit code; for a program ended by a signal, 128 + the signal number, as shells report it.
    public var exitCode: Int32
    /// Standard output, decoded as UTF-8 (invalid bytes replaced), at most the runner's capture limit.
    public var stdout: String
    /// Standard error, decoded as UTF-8, at most the runner's capture limit (the end is kept).
    public var stderr: String
    /// The signal that ended the program, if a signal did.
    public var terminationSignal: Int32?
    /// Whether stdout or stderr went past the capture limit and was cut.
    public var isTruncated: Bool

    /// Creates a result.
    public init(
        exitCode: Int32,
        stdout: String = "",
        stderr: String = "",
        terminationSignal: Int32? = nil,
        isTruncated: Bool = false
    ) {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
        self.terminationSignal = terminationSignal
        self.isTruncated = isTruncated
    }

    /// Whether the program exited with code 0.
    public var isSuccess: Bool { self.exitCode == 0 && self.terminationSignal == nil }
}
