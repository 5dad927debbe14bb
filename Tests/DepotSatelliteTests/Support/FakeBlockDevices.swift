import DepotSatellite
import Synchronization

/// Test double for ``BlockDeviceInspecting``: the devices a kernel would show, set by the test.
///
/// A device can be made to appear only after a number of looks, as a late udev would.
final class FakeBlockDevices: BlockDeviceInspecting {
    private struct Device {
        var sizeBytes: Int64
        var hiddenForLooks: Int
        var isInUse: Bool
    }

    // Mutex makes the shared state safe to touch from any task.
    private let devices = Mutex<[String: Device]>([:])
    private let looks = Mutex<[String: Int]>([:])

    init() {}

    /// Makes `path` a device of `sizeBytes`, invisible for the first `hiddenForLooks` looks.
    func set(_ path: String, sizeBytes: Int64, hiddenForLooks: Int = 0, inUse: Bool = false) {
        self.devices.withLock {
            $0[path] = Device(sizeBytes: sizeBytes, hiddenForLooks: hiddenForLooks, isInUse: inUse)
        }
    }

    /// Removes `path`.
    func remove(_ path: String) {
        _ = self.devices.withLock { $0.removeValue(forKey: path) }
    }

    /// How often `path`'s size was looked at.
    func lookCount(_ path: String) -> Int { self.looks.withLock { $0[path] ?? 0 } }

    func sizeOfBlockDevice(at path: String) -> Int64? {
        self.looks.withLock { $0[path, default: 0] += 1 }
        return self.devices.withLock { devices -> Int64? in
            guard var device = devices[path] else { return nil }
            if device.hiddenForLooks > 0 {
                device.hiddenForLooks -= 1
                devices[path] = device
                return nil
            }
            return device.sizeBytes
        }
    }

    func isBlockDeviceInUse(at path: String) -> Bool {
        self.devices.withLock { $0[path]?.isInUse ?? false }
    }
}
