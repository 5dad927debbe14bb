import Foundation
import Testing

/// A few KiB at a fixed place of a device or image: what the real-device tests write, copy and read back.
enum DeviceBytes {
    /// Inside the first MiB, away from the start.
    static let offset: UInt64 = 512 * 1024

    static func write(_ data: Data, to device: String) throws {
        let handle = try #require(FileHandle(forUpdatingAtPath: device))
        try handle.seek(toOffset: Self.offset)
        try handle.write(contentsOf: data)
        try handle.synchronize()
        try handle.close()
    }

    static func read(from device: String) throws -> Data {
        let handle = try #require(FileHandle(forReadingAtPath: device))
        try handle.seek(toOffset: Self.offset)
        let data = try handle.read(upToCount: 4096) ?? Data()
        try handle.close()
        return data
    }
}
