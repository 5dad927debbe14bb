/// Runs a long-lived program and hands over its standard output line by line as it is written
/// (`drbdsetup events2`).
public protocol LineStreamingRunner: Sendable {
    /// Runs `command` until it exits or the calling task is cancelled, calling `onLine` for each line.
    ///
    /// - Returns: the exit code.
    func streamLines(_ command: Command, onLine: @Sendable (String) async -> Void) async throws(CommandError) -> Int32
}
