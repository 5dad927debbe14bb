public import Logging
import Subprocess
// `FilePath` for `Executable.path`; swift-subprocess builds swift-system's module on Linux and uses it
// in its public API, so it is always there (not a separate dependency of ours).
import SystemPackage

#if canImport(Glibc)
    import Glibc
#endif

/// Runs commands as real processes through swift-subprocess.
///
/// - Every command gets a minimal environment: `PATH` (this process's, with the `sbin` directories
///   storage tools live in appended when missing) and `LC_ALL=C`/`LANG=C` so that tools print
///   parseable, untranslated output; ``Command/environment`` is added on top.
/// - Standard input is `/dev/null` unless ``Command/stdin`` is given.
/// - Standard output and standard error are read apart, each up to ``outputLimit`` bytes: stdout
///   keeps its beginning and stderr its end; the rest is read and dropped so the program never
///   blocks on a full pipe.
/// - Each program runs in its own session. When ``Command/timeout`` passes, or the calling task is
///   cancelled, its whole process group gets SIGTERM and, ``terminationGracePeriod`` later, SIGKILL.
public struct SubprocessCommandRunner: CommandRunner {
    /// The most bytes kept of each of stdout and stderr.
    public var outputLimit: Int
    /// How long a program may take to exit after SIGTERM before it gets SIGKILL.
    public var terminationGracePeriod: Duration
    /// Logs every command at debug level, with its exit code and duration.
    public var logger: Logger

    /// The directories appended to `PATH` when it lacks them; storage tools live in `sbin`.
    static let requiredSearchDirectories = [
        "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin",
    ]

    /// Creates a runner.
    ///
    /// - Parameters:
    ///   - outputLimit: The most bytes kept of each output stream; 4 MiB by default.
    ///   - terminationGracePeriod: The time between SIGTERM and SIGKILL; 5 s by default.
    ///   - logger: Where commands are logged at debug level.
    public init(
        outputLimit: Int = 4 << 20,
        terminationGracePeriod: Duration = .seconds(5),
        logger: Logger = Logger(label: "depot.satellite.commands")
    ) {
        self.outputLimit = outputLimit
        self.terminationGracePeriod = terminationGracePeriod
        self.logger = logger
    }

    public func run(_ command: Command) async throws(CommandError) -> CommandResult {
        let executable: Executable =
            command.executable.contains("/")
            ? .path(FilePath(command.executable)) : .name(command.executable)
        var environment: [Environment.Key: String] = [:]
        for (key, value) in Self.baseEnvironment(inheritedPath: Self.inheritedPath()).merging(
            command.environment,
            uniquingKeysWith: { _, added in added }
        ) {
            guard let environmentKey = Environment.Key(rawValue: key), !key.isEmpty, !key.contains("=") else {
                throw CommandError(
                    .launchFailed,
                    command: command,
                    detail: "invalid environment variable name '\(key)'"
                )
            }
            environment[environmentKey] = value
        }
        var options = PlatformOptions()
        // Its own session, so that a timeout can signal every process the command started.
        options.createSession = true
        options.teardownSequence = self.teardownSteps
        let start = ContinuousClock.now
        self.logger.debug("running command", metadata: ["command": "\(command.commandLine)"])
        let result: CommandResult
        if let bytes = command.stdin {
            result = try await self.execute(command, executable, .custom(environment), options, input: .array(bytes))
        } else {
            result = try await self.execute(command, executable, .custom(environment), options, input: .none)
        }
        self.logger.debug(
            "command finished",
            metadata: [
                "command": "\(command.commandLine)", "exitCode": "\(result.exitCode)",
                "duration": "\(ContinuousClock.now - start)",
            ]
        )
        return result
    }

    /// SIGTERM to the process group, then SIGKILL to the process group; swift-subprocess ends with
    /// its own SIGKILL of the process.
    private var teardownSteps: [TeardownStep] {
        [
            .gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: self.terminationGracePeriod),
            .send(signal: .kill, toProcessGroup: true, allowedDurationToNextStep: .seconds(1)),
        ]
    }

    private func execute<Input: InputProtocol>(
        _ command: Command,
        _ executable: Executable,
        _ environment: Environment,
        _ options: PlatformOptions,
        input: Input
    ) async throws(CommandError) -> CommandResult {
        let capture = OutputCapture.Box(limit: self.outputLimit)
        let timeout = command.timeout
        let outcome: RunOutcome
        do {
            outcome = try await withThrowingTaskGroup(of: RunOutcome.self) { group in
                group.addTask {
                    let result = try await Subprocess.run(
                        executable,
                        arguments: Arguments(command.arguments),
                        environment: environment,
                        platformOptions: options,
                        input: input,
                        output: .sequence,
                        error: .sequence
                    ) { execution in
                        // swift-subprocess ends these reads when the program exits, even if a
                        // grandchild still holds the pipes.
                        try await withThrowingTaskGroup(of: Void.self) { streams in
                            streams.addTask { try await capture.collect(execution.standardOutput, into: .stdout) }
                            streams.addTask { try await capture.collect(execution.standardError, into: .stderr) }
                            try await streams.waitForAll()
                        }
                    }
                    return .exited(result.terminationStatus)
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return .deadlinePassed
                }
                guard let first = try await group.next() else { return .deadlinePassed }
                // Cancelling the run makes swift-subprocess apply the teardown sequence.
                group.cancelAll()
                if case .deadlinePassed = first {
                    while true {
                        do {
                            guard try await group.next() != nil else { break }
                        } catch {
                            continue
                        }
                    }
                }
                return first
            }
        } catch is CancellationError {
            throw CommandError(
                .cancelled,
                command: command,
                stderr: capture.stderr.text,
                detail: "the satellite cancelled it"
            )
        } catch let error as SubprocessError {
            throw CommandError(.launchFailed, command: command, detail: "\(error)")
        } catch {
            if Task.isCancelled {
                throw CommandError(
                    .cancelled,
                    command: command,
                    stderr: capture.stderr.text,
                    detail: "the satellite cancelled it"
                )
            }
            throw CommandError(.launchFailed, command: command, stderr: capture.stderr.text, detail: "\(error)")
        }
        let stdout = capture.stdout
        let stderr = capture.stderr
        switch outcome {
        case .deadlinePassed:
            throw CommandError(.timedOut, command: command, stderr: stderr.text, detail: "after \(timeout)")
        case .exited(.exited(let code)):
            return CommandResult(
                exitCode: code,
                stdout: stdout.text,
                stderr: stderr.text,
                isTruncated: stdout.isTruncated || stderr.isTruncated
            )
        case .exited(.signaled(let signal)):
            return CommandResult(
                exitCode: 128 + signal,
                stdout: stdout.text,
                stderr: stderr.text,
                terminationSignal: signal,
                isTruncated: stdout.isTruncated || stderr.isTruncated
            )
        }
    }

    /// The environment every command starts from.
    static func baseEnvironment(inheritedPath: String?) -> [String: String] {
        var directories = (inheritedPath ?? "").split(separator: ":").map(String.init).filter { !$0.isEmpty }
        for directory in Self.requiredSearchDirectories where !directories.contains(directory) {
            directories.append(directory)
        }
        return ["PATH": directories.joined(separator: ":"), "LC_ALL": "C", "LANG": "C"]
    }

    static func inheritedPath() -> String? {
        guard let value = getenv("PATH") else { return nil }
        return String(cString: value)
    }
}

private enum RunOutcome: Sendable {
    case exited(TerminationStatus)
    case deadlinePassed
}
