public import DepotSatellite
import Synchronization

/// Test double for ``CommandRunner``: records every command and answers with scripted results
/// (recorded real output where the tool runs here, hand-written in its exact format where not).
///
/// Replies are matched by the longest argv prefix (`["lvs"]`, `["zfs", "list"]`); a prefix with
/// several replies hands them out in order and then repeats the last. An unscripted command fails
/// the way a missing program would, so a test notices it.
public final class RecordingCommandRunner: CommandRunner {
    /// A scripted answer: a result, or an error thrown instead.
    public struct Reply: Sendable {
        public var result: CommandResult
        public var error: CommandError?
    }

    private struct State {
        var commands: [Command] = []
        var replies: [[String]: [Reply]] = [:]
    }

    // Mutex makes the shared state safe to touch from any task.
    private let state = Mutex(State())

    public init() {}

    /// Scripts the replies to commands whose argv starts with `prefix`.
    public func on(_ prefix: [String], reply results: CommandResult...) {
        self.state.withLock { $0.replies[prefix, default: []] += results.map { Reply(result: $0) } }
    }

    /// Scripts a launch failure or timeout for commands whose argv starts with `prefix`.
    public func on(_ prefix: [String], fail error: CommandError) {
        self.state.withLock {
            $0.replies[prefix, default: []].append(Reply(result: CommandResult(exitCode: -1), error: error))
        }
    }

    /// Every command run so far, in order.
    public var commands: [Command] { self.state.withLock { $0.commands } }

    /// The argv (`executable` first) of every command run so far.
    public var argvs: [[String]] { self.commands.map { [$0.executable] + $0.arguments } }

    public func run(_ command: Command) async throws(CommandError) -> CommandResult {
        let argv = [command.executable] + command.arguments
        let reply: Reply? = self.state.withLock { state in
            state.commands.append(command)
            let key = state.replies.keys.filter { argv.starts(with: $0) }.max { $0.count < $1.count }
            guard let key, var queue = state.replies[key], let first = queue.first else { return nil }
            if queue.count > 1 {
                queue.removeFirst()
                state.replies[key] = queue
            }
            return first
        }
        guard let reply else {
            throw CommandError(.launchFailed, command: command, detail: "RecordingCommandRunner has no reply scripted")
        }
        if let error = reply.error { throw error }
        return reply.result
    }
}

extension CommandResult {
    /// A successful run printing `stdout`.
    public static func ok(_ stdout: String = "", stderr: String = "") -> CommandResult {
        CommandResult(exitCode: 0, stdout: stdout, stderr: stderr)
    }

    /// A failed run.
    public static func failed(_ exitCode: Int32, stdout: String = "", stderr: String) -> CommandResult {
        CommandResult(exitCode: exitCode, stdout: stdout, stderr: stderr)
    }
}
