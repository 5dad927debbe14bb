import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Keeps a second controller off a data directory that one is already using.
///
/// An advisory `flock` on `controller.lock`: the kernel releases it when the process dies, even by
/// SIGKILL, so a crashed controller never blocks its own restart.
final class DataDirectoryLock: Sendable {
    private let descriptor: Int32
    let path: String

    init(directory: String) throws(ConfigError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ConfigError("Cannot create the data directory \(directory): \(error.localizedDescription)")
        }
        self.path = directory + "/controller.lock"
        let descriptor = open(self.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ConfigError("Cannot open \(self.path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let owner = (try? String(contentsOfFile: self.path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(descriptor)
            throw ConfigError(
                "Another depot-controller\(owner.isEmpty ? "" : " (PID \(owner))") is already using the data directory \(directory). "
                    + "Stop it first, or start this one with another --data-dir.")
        }
        _ = ftruncate(descriptor, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { write(descriptor, $0, strlen($0)) }
        self.descriptor = descriptor
    }

    deinit {
        close(self.descriptor)
    }
}
