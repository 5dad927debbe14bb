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

    /// Stops the running controller with SIGTERM; returns how long it took and how it ended.
    func stopController() async throws -> (elapsed: Duration, status: ExitStatus) {
        guard let process = self.current.withLock({ $0 }) else { throw BenchError.setup("no controller is running") }
        let result = try await process.stop()
        self.current.withLock { $0 = nil }
        return result
    }

    /// Stops whatever still runs and removes the directory (unless kept).
    func tearDown() async {
        if let process = self.current.withLock({ $0 }) {
            _ = try? await process.stop()
        }
        self.current.withLock { $0 = nil }
        self.removeDirectory()
    }

    /// The same as ``tearDown()`` without suspending, for the signal handler.
    func tearDownNow() {
        self.current.withLock { $0 }?.terminateNow()
        self.removeDirectory()
    }

    private func removeDirectory() {
        if self.keepData {
            Progress.say("kept \(self.directory) (data/ and controller.log)")
        } else {
            try? FileManager.default.removeItem(atPath: self.directory)
        }
    }
}
