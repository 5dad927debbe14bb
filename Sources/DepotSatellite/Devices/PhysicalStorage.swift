import DepotWire
import Foundation

/// The node's unused disks, and the device pools made on them (`physical-storage list` and
/// `create-device-pool`).
///
/// A disk is offered as LINSTOR offers it (no parent, more than 1 GiB, no filesystem or other
/// signature, no partitions or other children, not a DRBD device) and, since a pool made on a
/// disk in use destroys its data, only when nobody holds it open exclusively (a mounted
/// filesystem, device-mapper, DRBD) and `blkid` finds no signature on it. A creation lists the disks again first and refuses any that
/// is not offered.
public struct PhysicalStorage: Sendable {
    let runner: any CommandRunner
    let blockDevices: any BlockDeviceInspecting

    static let minimumBytes: Int64 = 1024 * 1024 * 1024
    static let drbdMajor = "147"
    static let commandTimeout: Duration = .seconds(120)

    public init(runner: any CommandRunner, blockDevices: any BlockDeviceInspecting = SystemBlockDevices()) {
        self.runner = runner
        self.blockDevices = blockDevices
    }

    /// The disks a device pool could be made on, by device path.
    func unusedDisks() async throws(StorageError) -> [PhysicalStorageNodeDTO] {
        let command = Command(
            "lsblk", ["--json", "--list", "--bytes", "--paths", "--output", "NAME,SIZE,ROTA,FSTYPE,PKNAME,MAJ:MIN,MODEL,SERIAL,WWN"],
            timeout: .seconds(30))
        let result: CommandResult
        do {
            result = try await self.runner.runChecked(command)
        } catch {
            throw .command("Listing the block devices", error)
        }
        var unused: [PhysicalStorageNodeDTO] = []
        for disk in try Self.candidates(lsblk: result.stdout) where !self.blockDevices.isBlockDeviceInUse(at: disk.device) {
            if await self.carriesNoSignature(disk.device) { unused.append(disk) }
        }
        return unused
    }

    /// `blkid -p` reads the disk itself: lsblk's FSTYPE comes from udev, which containers and
    /// minimal hosts lack, and a filesystem must never pass for an empty disk. Exit 2 with no
    /// output means it found nothing; any output, or an error, keeps the disk out.
    private func carriesNoSignature(_ device: String) async -> Bool {
        guard let probe = try? await self.runner.run(Command("blkid", ["-p", "-o", "export", device], timeout: .seconds(30))) else { return false }
        return probe.exitCode == 2 && probe.terminationSignal == nil
            && probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty && probe.stderr.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }

    /// LINSTOR's choice among `lsblk --json --list` rows: whole disks over 1 GiB with no signature,
    /// no children and not DRBD's, sorted by path.
    static func candidates(lsblk output: String) throws(StorageError) -> [PhysicalStorageNodeDTO] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any],
            let rows = object["blockdevices"] as? [[String: Any]]
        else {
            throw StorageError(.unexpectedOutput, "lsblk printed no device list: \(output.prefix(200))")
        }
        let parents = Set(rows.compactMap { text($0["pkname"]) })
        return rows.compactMap { row -> PhysicalStorageNodeDTO? in
            guard let name = text(row["name"]), let size = number(row["size"]), size > Self.minimumBytes,
                text(row["pkname"]) == nil, text(row["fstype"]) == nil, !parents.contains(name),
                text(row["maj:min"])?.split(separator: ":").first.map(String.init) != Self.drbdMajor
            else { return nil }
            return PhysicalStorageNodeDTO(
                size: size, rotational: flag(row["rota"]), device: name, model: text(row["model"]), serial: text(row["serial"]), wwn: text(row["wwn"]))
        }.sorted { $0.device < $1.device }
    }

    /// Makes the pool and says what it did; on a failure, what it made before is removed again.
    func createPool(_ order: DevicePoolOrder) async -> (steps: [String], failure: String?) {
        var steps: [String] = []
        do throws(StorageError) {
            let offered = Set(try await self.unusedDisks().map(\.device))
            let refused = order.devices.filter { !offered.contains($0) }
            guard refused.isEmpty else {
                return (
                    steps,
                    "\(refused.joined(separator: ", ")) \(refused.count == 1 ? "is" : "are") not an unused disk on this node (a filesystem or other signature, partitions, in use, or 1 GiB or less); 'physical-storage list' shows the disks a pool can be made on."
                )
            }
            switch order.kind {
            case .lvm, .lvmThin:
                try await self.createVolumeGroup(order, steps: &steps)
                if order.kind == .lvmThin, let thinPool = order.thinPool {
                    try await self.run(
                        "lvcreate", order.lvCreateArguments + ["--yes", "--extents", "100%FREE", "--thinpool", thinPool, order.volumeGroup],
                        "Creating thin pool '\(order.volumeGroup)/\(thinPool)'")
                    steps.append("Thin pool '\(thinPool)' created in volume group '\(order.volumeGroup)'.")
                }
            case .zfs, .zfsThin:
                try await self.run("zpool", ["create"] + order.zpoolCreateArguments + [order.volumeGroup] + order.devices, "Creating zpool '\(order.volumeGroup)'")
                steps.append("Zpool '\(order.volumeGroup)' created on \(order.devices.joined(separator: ", ")).")
            }
            return (steps, nil)
        } catch {
            await self.undo(order, steps: steps)
            return (steps, error.description)
        }
    }

    private func createVolumeGroup(_ order: DevicePoolOrder, steps: inout [String]) async throws(StorageError) {
        for device in order.devices {
            try await self.run("pvcreate", order.pvCreateArguments + [device], "Creating an LVM physical volume on '\(device)'")
            steps.append("Physical volume created on '\(device)'.")
        }
        try await self.run("vgcreate", order.vgCreateArguments + [order.volumeGroup] + order.devices, "Creating volume group '\(order.volumeGroup)'")
        steps.append("Volume group '\(order.volumeGroup)' created on \(order.devices.joined(separator: ", ")).")
    }

    /// Removes the volume group and physical volumes a failed creation left, newest first.
    private func undo(_ order: DevicePoolOrder, steps: [String]) async {
        guard order.kind == .lvm || order.kind == .lvmThin, !steps.isEmpty else { return }
        if steps.contains(where: { $0.hasPrefix("Volume group") }) {
            _ = try? await self.runner.run(Command("vgremove", ["--yes", order.volumeGroup], timeout: Self.commandTimeout))
        }
        for device in order.devices where steps.contains("Physical volume created on '\(device)'.") {
            _ = try? await self.runner.run(Command("pvremove", ["--yes", device], timeout: Self.commandTimeout))
        }
    }

    private func run(_ tool: String, _ arguments: [String], _ what: String) async throws(StorageError) {
        let environment = tool == "zpool" ? [:] : ["LVM_SUPPRESS_FD_WARNINGS": "1"]
        do {
            try await self.runner.runChecked(Command(tool, arguments, environment: environment, timeout: Self.commandTimeout))
        } catch {
            throw .command(what, error)
        }
    }
}

/// A JSON value as lsblk prints it: `null`, or a string that may be empty (both mean nothing).
private func text(_ value: Any?) -> String? {
    guard let string = value as? String else { return nil }
    let trimmed = string.trimmingCharacters(in: .whitespaces)
    return trimmed.isEmpty ? nil : trimmed
}

/// A number lsblk prints as a JSON number (util-linux 2.33 and later) or as text (older).
private func number(_ value: Any?) -> Int64? {
    if let number = value as? Int64 { return number }
    if let number = value as? Int { return Int64(number) }
    if let number = value as? Double { return Int64(number) }
    return text(value).flatMap { Int64($0) }
}

/// A flag lsblk prints as `true`/`false` (newer) or `"1"`/`"0"` (older).
private func flag(_ value: Any?) -> Bool {
    if let flag = value as? Bool { return flag }
    if let number = value as? Int { return number != 0 }
    return text(value) == "1"
}
