import Foundation

/// Moves DRBD's internal metadata to the end of a device that is larger than the one it was written on.
///
/// Internal metadata sits at the end of its device. A volume filled with a copy of a smaller one
/// (a clone or restore into a pool that rounds sizes up further, LVM's extents after a file's 4 KiB)
/// has it where the copy ended, not at its own end, and DRBD would find none there.
/// `drbdmeta check-resize` moves it, told where it was by the minor's "last known block device"
/// file in drbd-utils' state directory (`<size in bytes>\t<device>`), which is written first.
struct DRBDMetadataRelocation: Sendable {
    let runner: any CommandRunner
    /// drbd-utils' state directory, where drbdmeta keeps (and reads) the `.lkbd` files.
    static let stateDirectory = "/var/lib/drbd"

    /// Moves the metadata that a copy of `copiedBytes` bytes left on `device` to its end.
    func moveToEnd(minor: Int, device: String, copiedBytes: Int64) async throws(DRBDError) {
        let lastKnown = "\(Self.stateDirectory)/drbd-minor-\(minor).lkbd"
        try? FileManager.default.createDirectory(atPath: Self.stateDirectory, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: lastKnown, contents: Data("\(copiedBytes)\t\(device)\n".utf8)) else {
            throw DRBDError(.metadata, "Cannot write \(lastKnown), which tells drbdmeta where the copied DRBD metadata of \(device) is.")
        }
        let command = Command("drbdmeta", ["--force", String(minor), "v09", device, "internal", "check-resize"], timeout: .seconds(60))
        do {
            try await self.runner.runChecked(command)
        } catch {
            throw DRBDError(.metadata, "Moving the copied DRBD metadata of \(device) to the end of the device failed.", commandError: error)
        }
    }
}
