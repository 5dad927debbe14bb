import Subprocess
import SystemPackage

extension SubprocessCommandRunner: LineStreamingRunner {
    public func streamLines(_ command: Command, onLine: @Sendable (String) async -> Void) async throws(CommandError) -> Int32 {
        let executable: Executable = command.executable.contains("/") ? .path(FilePath(command.executable)) : .name(command.executable)
        var environment: [Environment.Key: String] = [:]
        for (key, value) in Self.baseEnvironment(inheritedPath: Self.inheritedPath()).merging(command.environment, uniquingKeysWith: { _, added in added }) {
            if let environmentKey = Environment.Key(rawValue: key) { environment[environmentKey] = value }
        }
        var options = PlatformOptions()
        options.createSession = true
        options.teardownSequence = [
            .gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: self.terminationGracePeriod),
            .send(signal: .kill, toProcessGroup: true, allowedDurationToNextStep: .seconds(1)),
        ]
        do {
            let result = try await Subprocess.run(
                executable, arguments: Arguments(command.arguments), environment: .custom(environment), platformOptions: options,
                input: .none, output: .sequence, error: .discarded
            ) { execution in
                for try await line in execution.standardOutput.strings() {
                    await onLine(line)
                }
            }
            switch result.terminationStatus {
            case .exited(let code): return code
            case .signaled(let signal): return 128 + signal
            }
        } catch {
            if Task.isCancelled { throw CommandError(.cancelled, command: command, detail: "the satellite cancelled it") }
            throw CommandError(.launchFailed, command: command, detail: "\(error)")
        }
    }
}
