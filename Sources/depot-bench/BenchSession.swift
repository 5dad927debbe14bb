import Foundation
import Glibc
import Synchronization

/// The benchmark's footprint on the machine: a temp directory (data dir and controller log) and
/// the one controller it is running. Torn down on success, on failure and on SIGINT/SIGTERM, so
/// that a run leaves nothing behind unless `--keep-data` asks for the directory.
final class BenchSession: Sendable {
    let directory: String
    let keepData: Bool
    let executable: String
    /// A PostgreSQL database for the controller instead of the embedded SQLite file.
    let databaseURL: String?
    private let current = Mutex<ControllerProcess?>(nil)
    /// Controllers started beside the current one (the takeover's pair), stopped at teardown.
    private let others = Mutex<[ControllerProcess]>([])

    var dataDirectory: String { self.directory + "/data" }
    var logPath: String { self.directory + "/controller.log" }

    init(executable: String, keepData: Bool, databaseURL: String? = nil) throws {
        var template = Array(FileManager.default.temporaryDirectory.appendingPathComponent("depot-bench.XXXXXX").path.utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
        }
        guard let created else { throw BenchError.setup("cannot create a temp directory: \(String(cString: strerror(errno)))") }
        self.directory = created
        self.keepData = keepData
        self.executable = executable
        self.databaseURL = databaseURL
    }

    /// Starts a controller on the session's data directory and a fresh loopback port.
    func startController() throws -> ControllerProcess {
        let process = try ControllerProcess(
            executable: self.executable, dataDirectory: self.dataDirectory, port: try LoopbackPort.free(), logPath: self.logPath,
            databaseURL: self.databaseURL)
        self.current.withLock { $0 = process }
        return process
    }

    /// Starts another controller on the session's database, with a data directory of its own
    /// (`name`) and `extraArguments`; teardown stops it.
    func startAnotherController(_ name: String, extraArguments: [String]) throws -> ControllerProcess {
        let directory = self.directory + "/" + name
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let process = try ControllerProcess(
            executable: self.executable, dataDirectory: directory, port: try LoopbackPort.free(), logPath: self.directory + "/\(name).log",
            databaseURL: self.databaseURL, extraArguments: extraArguments)
        self.others.withLock { $0.append(process) }
        return process
    }

    /// Stops the running controller with SIGTERM; returns how long it took and how it ended.
    func stopController() async throws -> (elapsed: Duration, status: ExitStatus) {
        guard let process = self.current.withLock({ $0 }) else { throw BenchError.setup("no controller is running") }
        let result = try await process.stop()
        self.current.withLock { $0 = nil }
        return result
    }

    /// Stops whatever still runs and removes the directory (unless kept).
    func tearDown() async {
        for process in self.running() {
            _ = try? await process.stop()
        }
        self.current.withLock { $0 = nil }
        self.others.withLock { $0 = [] }
        self.removeDirectory()
    }

    /// The same as ``tearDown()`` without suspending, for the signal handler.
    func tearDownNow() {
        for process in self.running() { process.terminateNow() }
        self.removeDirectory()
    }

    private func running() -> [ControllerProcess] {
        (self.current.withLock { $0 }.map { [$0] } ?? []) + self.others.withLock { $0 }.filter { $0.exitStatus() == nil }
    }

    private func removeDirectory() {
        if self.keepData {
            Progress.say("kept \(self.directory) (data/ and controller.log)")
        } else {
            try? FileManager.default.removeItem(atPath: self.directory)
        }
    }
}
