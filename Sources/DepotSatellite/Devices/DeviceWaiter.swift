/// Waits until a new device node exists and reports the expected size.
///
/// Storage tools return before the kernel and udev have made the device node (the article's warning
/// about device files that appear late). The waiter polls, as LINSTOR's `waitUntilDeviceVisible`
/// does with inotify; it never relies on `udevadm settle`, which returns at once without udevd.
public struct DeviceWaiter: Sendable {
    /// How devices are looked at.
    public var devices: any BlockDeviceInspecting
    /// The pause between two looks.
    public var pollInterval: Duration

    /// Creates a waiter.
    public init(devices: any BlockDeviceInspecting = SystemBlockDevices(), pollInterval: Duration = .milliseconds(20)) {
        self.devices = devices
        self.pollInterval = pollInterval
    }

    /// Returns the device's size in bytes once `path` is a block device of at least `minimumKiB`.
    ///
    /// - Throws: ``StorageError/Code/deviceTimeout`` naming the path and what was last seen (no
    ///   device, or its size) when `timeout` passes first, or the task is cancelled.
    @discardableResult
    public func waitForDevice(
        at path: String,
        minimumKiB: Int64,
        timeout: Duration
    ) async throws(StorageError) -> Int64 {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var lastSize: Int64?
        while true {
            lastSize = self.devices.sizeOfBlockDevice(at: path)
            if let size = lastSize, size >= minimumKiB * 1024 { return size }
            if clock.now >= deadline || Task.isCancelled { break }
            try? await clock.sleep(until: min(deadline, clock.now.advanced(by: self.pollInterval)))
        }
        let seconds = Self.format(timeout)
        if let size = lastSize {
            throw StorageError(
                .deviceTimeout,
                "Device \(path) reports \(size / 1024) KiB, expected at least \(minimumKiB) KiB, after waiting \(seconds)."
            )
        }
        throw StorageError(.deviceTimeout, "Device \(path) did not appear within \(seconds).")
    }

    private static func format(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000) s" }
        return "\(milliseconds) ms"
    }
}
