/// Runs external programs; the one door through which the satellite touches storage tools.
///
/// Production code uses ``SubprocessCommandRunner``. Tests substitute a recording fake that answers
/// with recorded real output, so the exact argv and the parsing can be checked without the tool.
public protocol CommandRunner: Sendable {
    /// Runs `command` to its end and returns its exit code and output.
    ///
    /// A non-zero exit is a normal result here; use ``runChecked(_:acceptingExitCodes:)`` to turn it
    /// into an error.
    ///
    /// - Throws: ``CommandError`` with ``CommandError/Code/launchFailed`` when the program cannot be
    ///   started, or ``CommandError/Code/timedOut`` when it outlived ``Command/timeout``.
    func run(_ command: Command) async throws(CommandError) -> CommandResult
}

extension CommandRunner {
    /// Runs `command` and fails unless it exits with one of `acceptedExitCodes`.
    ///
    /// - Throws: ``CommandError`` as ``run(_:)`` does, and ``CommandError/Code/nonZeroExit`` with the
    ///   command line, exit code and end of stderr for any other exit.
    @discardableResult
    public func runChecked(
        _ command: Command,
        acceptingExitCodes acceptedExitCodes: Set<Int32> = [0],
        file: String = #fileID,
        line: Int = #line
    ) async throws(CommandError) -> CommandResult {
        let result = try await self.run(command)
        guard result.terminationSignal == nil, acceptedExitCodes.contains(result.exitCode) else {
            let detail = result.terminationSignal.map { "ended by signal \($0)" }
            throw CommandError(
                .nonZeroExit,
                command: command,
                exitCode: result.exitCode,
                stderr: result.stderr,
                detail: detail,
                file: file,
                line: line
            )
        }
        return result
    }
}
