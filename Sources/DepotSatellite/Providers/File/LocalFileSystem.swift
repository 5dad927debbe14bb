#if canImport(Glibc)
    import Glibc
#endif

/// The few file-system calls the FILE providers make directly (no command needed for them).
enum LocalFileSystem {
    /// Size and allocation of one file.
    struct FileStatus: Sendable, Hashable {
        /// The apparent size (what a loop device shows).
        var sizeBytes: Int64
        /// The space the file's blocks take (less than the size for a sparse file).
        var allocatedBytes: Int64
        /// The file's inode and its file system's device number: how `losetup` names a backing file.
        var inode: UInt64 = 0
        var deviceMajor: UInt32 = 0
        var deviceMinor: UInt32 = 0
    }

    /// The status of the regular file at `path`, or `nil` when nothing is there.
    static func status(of path: String) throws(StorageError) -> FileStatus? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT { return nil }
            throw StorageError(.systemCallFailed, "Cannot stat \(path): \(Self.describe(code)).")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw StorageError(.invalidConfiguration, "\(path) exists but is not a regular file.")
        }
        return Self.fileStatus(info)
    }

    private static func fileStatus(_ info: stat) -> FileStatus {
        let device = UInt64(info.st_dev)
        // glibc's gnu_dev_major / gnu_dev_minor, which Swift does not import as functions.
        let major = UInt32(truncatingIfNeeded: ((device >> 8) & 0xfff) | ((device >> 32) & ~UInt64(0xfff)))
        let minor = UInt32(truncatingIfNeeded: (device & 0xff) | ((device >> 12) & ~UInt64(0xff)))
        return FileStatus(
            sizeBytes: Int64(info.st_size), allocatedBytes: Int64(info.st_blocks) * 512, inode: UInt64(info.st_ino), deviceMajor: major,
            deviceMinor: minor)
    }

    /// The regular files in `directory` whose names end in `suffix`, with their status: one
    /// directory read and one `stat` per file, no process.
    static func files(in directory: String, suffix: String) throws(StorageError) -> [String: FileStatus] {
        guard let stream = opendir(directory) else {
            throw StorageError(.systemCallFailed, "Cannot read the directory \(directory): \(Self.describe(errno)).")
        }
        defer { closedir(stream) }
        var files: [String: FileStatus] = [:]
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name.hasSuffix(suffix), name.count > suffix.count else { continue }
            var info = stat()
            guard stat(directory + "/" + name, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            files[name] = Self.fileStatus(info)
        }
        return files
    }

    /// Whether `path` is a directory.
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Free (for unprivileged users, as `df` shows it) and total space of the file system holding `path`.
    static func capacity(of path: String) throws(StorageError) -> PoolCapacity {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else {
            throw StorageError(.systemCallFailed, "Cannot read the file system of \(path): \(Self.describe(errno)).")
        }
        let blockSize = Int64(info.f_frsize)
        return PoolCapacity(
            freeKiB: Int64(info.f_bavail) * blockSize / 1024,
            totalKiB: Int64(info.f_blocks) * blockSize / 1024
        )
    }

    /// Creates an empty file at `path` readable and writable by root only (volume data is private);
    /// an existing file is left as it is.
    static func createPrivateFile(_ path: String) throws(StorageError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let code = errno
            if code == EEXIST { return }
            throw StorageError(.systemCallFailed, "Cannot create \(path): \(Self.describe(code)).")
        }
        close(descriptor)
    }

    /// Removes the file at `path`; a missing file is fine.
    static func remove(_ path: String) throws(StorageError) {
        guard unlink(path) == 0 else {
            let code = errno
            if code == ENOENT { return }
            throw StorageError(.systemCallFailed, "Cannot remove \(path): \(Self.describe(code)).")
        }
    }

    /// Renames `source` to `target`, replacing a file there in one step (both in one directory), so
    /// a reader sees the old file or the complete new one, never a half-written one.
    static func rename(_ source: String, to target: String) throws(StorageError) {
        guard Glibc.rename(source, target) == 0 else {
            throw StorageError(.systemCallFailed, "Cannot rename \(source) to \(target): \(Self.describe(errno)).")
        }
    }

    /// `strerror` text for an errno value.
    static func describe(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text)
    }
}
