import DepotSatellite
import Foundation

/// A private directory for one test's image files, removed afterwards together with every loop
/// device backed by a file inside it, also when the test fails.
struct Scratch {
    let path: String
    private static let runner = SubprocessCommandRunner()

    /// Runs `body` with a fresh directory; `cleanup` runs first on the way out (LVM teardown, say).
    static func with<Result>(
        cleanup: @escaping @Sendable (Scratch) async -> Void = { _ in },
        _ body: (Scratch) async throws -> Result
    ) async throws -> Result {
        let scratch = Scratch(path: "/tmp/depot-satellite-test-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: scratch.path, withIntermediateDirectories: false)
        do {
            let result = try await body(scratch)
            await cleanup(scratch)
            await scratch.removeAll()
            return result
        } catch {
            await cleanup(scratch)
            await scratch.removeAll()
            throw error
        }
    }

    /// A path inside the directory.
    func file(_ name: String) -> String { "\(self.path)/\(name)" }

    /// The loop devices backed by files in this directory (deleted files included).
    func loopDevices() async -> [String] {
        let command = Command("losetup", ["--list", "--json", "--output", "NAME,BACK-FILE"])
        guard let result = try? await Self.runner.runChecked(command),
            let data = result.stdout.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let devices = object["loopdevices"] as? [[String: Any]]
        else { return [] }
        return devices.compactMap { device in
            guard let name = device["name"] as? String, let file = device["back-file"] as? String,
                file.hasPrefix(self.path + "/")
            else { return nil }
            return name
        }
    }

    /// Creates a file of `bytes` (sparse) and attaches it; the device is detached on cleanup.
    func attachedImage(_ name: String, bytes: Int64) async throws -> String {
        let file = self.file(name)
        try await Self.runner.runChecked(Command("truncate", ["--size", String(bytes), file]))
        return try await Self.runner.runChecked(Command("losetup", ["--find", "--show", file])).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func removeAll() async {
        for device in await self.loopDevices() {
            _ = try? await Self.runner.run(Command("losetup", ["--detach", device]))
        }
        try? FileManager.default.removeItem(atPath: self.path)
    }
}
