#if canImport(Glibc)
    import Glibc
#endif

/// What the capability probe may read of the node: files under `/proc`, `/sys`, `/lib/modules`
/// and `/dev`, and which programs are installed.
///
/// Injected so that tests can describe any node (with DRBD 9, without device-mapper, …).
public protocol ProbeSystem: Sendable {
    /// The text of the file at `path`, or `nil` when it cannot be read.
    func readFile(_ path: String) -> String?
    /// Whether anything exists at `path`.
    func fileExists(_ path: String) -> Bool
    /// The path of the executable `name`, searched in `PATH` and the `sbin` directories, or `nil`.
    func findExecutable(_ name: String) -> String?
}

/// This machine, read directly.
public struct LocalProbeSystem: ProbeSystem {
    /// Creates the system reader.
    public init() {}

    public func readFile(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count <= 0 { break }
            bytes += buffer[0..<count]
            // /proc and /sys files are small; modules.dep is a few hundred KiB.
            if bytes.count > 16 << 20 { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public func fileExists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    public func findExecutable(_ name: String) -> String? {
        if name.contains("/") {
            var info = stat()
            return stat(name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && access(name, X_OK) == 0 ? name : nil
        }
        let inherited = getenv("PATH").map { String(cString: $0) }
        let path = SubprocessCommandRunner.baseEnvironment(inheritedPath: inherited)["PATH"] ?? ""
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            var info = stat()
            if stat(candidate, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, access(candidate, X_OK) == 0 {
                return candidate
            }
        }
        return nil
    }
}
