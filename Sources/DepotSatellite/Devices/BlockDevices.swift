#if canImport(Glibc)
    import Glibc
#endif

/// Looks at block devices: whether one exists, how large it is, whether someone holds it.
///
/// Injected into ``DeviceWaiter`` and the providers so that tests of providers whose devices cannot
/// exist here (ZFS, LVM thin) can say what the kernel would show.
public protocol BlockDeviceInspecting: Sendable {
    /// The size in bytes of the block device at `path`, or `nil` when there is no block device there.
    func sizeOfBlockDevice(at path: String) -> Int64?
    /// Whether the block device at `path` is mounted, opened exclusively or held by another device
    /// (an open with `O_EXCL` fails with `EBUSY`). `false` when there is no device there.
    func isBlockDeviceInUse(at path: String) -> Bool
}

/// The real devices of this machine, read with `stat`, `open` and `lseek`.
public struct SystemBlockDevices: BlockDeviceInspecting {
    /// Creates the inspector.
    public init() {}

    public func sizeOfBlockDevice(at path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFBLK else { return nil }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        // lseek to the end of a block device returns its size in bytes (as BLKGETSIZE64 does).
        let size = lseek(descriptor, 0, SEEK_END)
        return size >= 0 ? Int64(size) : nil
    }

    public func isBlockDeviceInUse(at path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFBLK else { return false }
        let descriptor = open(path, O_RDONLY | O_EXCL | O_CLOEXEC | O_NONBLOCK)
        if descriptor < 0 { return errno == EBUSY }
        close(descriptor)
        return false
    }
}
