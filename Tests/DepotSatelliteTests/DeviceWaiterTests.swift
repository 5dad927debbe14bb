import Testing

@testable import DepotSatellite

@Suite("DeviceWaiter")
struct DeviceWaiterTests {
    @Test func waitsForALateDevice() async throws {
        let devices = FakeBlockDevices()
        devices.set("/dev/loop7", sizeBytes: 8 << 20, hiddenForLooks: 5)
        let waiter = DeviceWaiter(devices: devices, pollInterval: .milliseconds(1))
        // A generous bound: on a loaded machine the 1 ms sleeps can overshoot; the look count is what is checked.
        let size = try await waiter.waitForDevice(at: "/dev/loop7", minimumKiB: 8192, timeout: .seconds(30))
        #expect(size == 8 << 20)
        #expect(devices.lookCount("/dev/loop7") == 6)
    }

    @Test func reportsAMissingDeviceByPathAndTimeout() async throws {
        let waiter = DeviceWaiter(devices: FakeBlockDevices(), pollInterval: .milliseconds(5))
        let start = ContinuousClock.now
        let error = await #expect(throws: StorageError.self) {
            try await waiter.waitForDevice(at: "/dev/vg/lv", minimumKiB: 1024, timeout: .milliseconds(50))
        }
        #expect(ContinuousClock.now - start >= .milliseconds(50))
        #expect(error?.code == .deviceTimeout)
        #expect(error?.message == "Device /dev/vg/lv did not appear within 50 ms.")
    }

    @Test func reportsATooSmallDeviceWithWhatItSaw() async throws {
        let devices = FakeBlockDevices()
        devices.set("/dev/zvol/tank/x", sizeBytes: 4 << 20)
        let waiter = DeviceWaiter(devices: devices, pollInterval: .milliseconds(5))
        let error = await #expect(throws: StorageError.self) {
            try await waiter.waitForDevice(at: "/dev/zvol/tank/x", minimumKiB: 8192, timeout: .seconds(0))
        }
        #expect(
            error?.message == "Device /dev/zvol/tank/x reports 4096 KiB, expected at least 8192 KiB, after waiting 0 s."
        )
    }

    @Test func realDevicesAreReadBySize() {
        let devices = SystemBlockDevices()
        #expect(devices.sizeOfBlockDevice(at: "/dev/null") == nil, "a character device is not a block device")
        #expect(devices.sizeOfBlockDevice(at: "/nonexistent") == nil)
        #expect(!devices.isBlockDeviceInUse(at: "/nonexistent"))
    }
}
