import Foundation
import Glibc
import Synchronization

/// The `depot-controller` under test, started by `posix_spawn` and stopped by signalling its PID.
///
/// Spawned directly rather than through Foundation's `Process` so that the spawn instant, the
/// start of every cold-start figure, is taken right before exec, and so that reaping and
/// signalling share one lock: a PID is never signalled after it was reaped (and possibly reused).
final class ControllerProcess: Sendable {
    let pid: pid_t
    let port: UInt16
    let spawnedAt: ContinuousClock.Instant
    let logPath: String
    private let exit = Mutex<ExitStatus?>(nil)

    /// Starts `executable --data-dir DIR --rest-bind 127.0.0.1:PORT [--db-url URL] [EXTRA…]` with
    /// stdout and stderr appended to `logPath`.
    init(executable: String, dataDirectory: String, port: UInt16, logPath: String, databaseURL: String? = nil, extraArguments: [String] = []) throws {
        let arguments =
            [executable, "--data-dir", dataDirectory, "--rest-bind", "127.0.0.1:\(port)"] + (databaseURL.map { ["--db-url", $0] } ?? []) + extraArguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // The bench ignores SIGINT/SIGTERM to clean up on them; ignored signals survive exec, and
        // the controller must still stop on SIGTERM.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = arguments.map { strdup($0) }
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawnedAt = ContinuousClock.now
        let result = (argv + [nil]).withUnsafeBufferPointer { argvPointer -> Int32 in
            guard let base = argvPointer.baseAddress else { return EINVAL }
            return posix_spawn(&pid, executable, &actions, &attributes, base, environ)
        }
        guard result == 0 else {
            throw BenchError.setup("cannot start \(executable): \(String(cString: strerror(result)))")
        }
        self.pid = pid
        self.port = port
        self.spawnedAt = spawnedAt
        self.logPath = logPath
    }

    /// The exit status once the process has ended (reaping it), nil while it runs.
    func exitStatus() -> ExitStatus? {
        self.exit.withLock { exit in
            if let exit { return exit }
            var status: Int32 = 0
            guard waitpid(self.pid, &status, WNOHANG) == self.pid else { return nil }
            exit = ExitStatus(waitStatus: status)
            return exit
        }
    }

    /// Sends `signal` unless the process has already been reaped.
    func send(_ signal: Int32) {
        self.exit.withLock { exit in
            if exit == nil { kill(self.pid, signal) }
        }
    }

    /// Polls `GET /health` until it answers 200; returns the time since exec.
    func waitUntilHealthy(timeout: Duration = .seconds(60)) async throws -> Duration {
        let client = HTTPClient(port: self.port, label: "health")
        while true {
            if let status = self.exitStatus() {
                throw BenchError.controller("exited (\(status)) before answering GET /health", log: self.logTail())
            }
            if let response = try? await client.send(.get("/health"), body: .discard), response.status == 200 {
                return ContinuousClock.now - self.spawnedAt
            }
            guard ContinuousClock.now - self.spawnedAt < timeout else {
                throw BenchError.controller("did not answer GET /health with 200 within \(timeout)", log: self.logTail())
            }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    /// How many resources `GET /v1/view/resources` lists now: whether a restarted or a taken-over
    /// controller serves everything that was acknowledged.
    func listedResources() async throws -> Int {
        let request = HTTPRequest.get(Workload.resourceListPath)
        let response = try await HTTPClient(port: self.port, label: "resource-count").send(request)
        try ReplyCheck.list(request, response)
        return try ReplyCheck.itemCount(request, response)
    }

    /// SIGKILL, and waits until it is reaped: a controller that dies without a word.
    func killNow() {
        self.killAndReap()
    }

    /// SIGTERM, then waits for the exit; SIGKILL after `timeout`, which fails the run.
    func stop(timeout: Duration = .seconds(10)) async throws -> (elapsed: Duration, status: ExitStatus) {
        let started = ContinuousClock.now
        self.send(SIGTERM)
        while ContinuousClock.now - started < timeout {
            if let status = self.exitStatus() { return (ContinuousClock.now - started, status) }
            try? await Task.sleep(for: .milliseconds(1))
        }
        self.killAndReap()
        throw BenchError.controller("did not exit within \(timeout) of SIGTERM and was killed", log: self.logTail())
    }

    /// Stops the process without suspending, for the interrupt path: SIGTERM, five seconds'
    /// grace, then SIGKILL.
    func terminateNow() {
        self.send(SIGTERM)
        for _ in 0..<500 {
            if self.exitStatus() != nil { return }
            usleep(10_000)
        }
        self.killAndReap()
    }

    private func killAndReap() {
        self.send(SIGKILL)
        self.exit.withLock { exit in
            guard exit == nil else { return }
            var status: Int32 = 0
            if waitpid(self.pid, &status, 0) == self.pid { exit = ExitStatus(waitStatus: status) }
        }
    }

    /// The end of the controller's log, to show why it failed.
    func logTail(lines: Int = 20) -> String {
        guard let text = try? String(contentsOfFile: self.logPath, encoding: .utf8) else { return "" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}

/// How a process ended, decoded from a `waitpid` status (the `WIFEXITED` macros do not reach Swift).
enum ExitStatus: Sendable, Equatable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    init(waitStatus: Int32) {
        let signal = waitStatus & 0x7F
        self = signal == 0 ? .exited((waitStatus >> 8) & 0xFF) : .signaled(signal)
    }

    var description: String {
        switch self {
        case .exited(let code): "exit status \(code)"
        case .signaled(let signal): "killed by signal \(signal)"
        }
    }
}
