#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `losetup`: attach image files to loop devices, find and refresh attachments, detach.
struct LoopDevices: Sendable {
    let runner: any CommandRunner
    let timeout: Duration

    /// The loop devices attached to `file`, found by the file's inode (`losetup -j`), not its name.
    func attachments(of file: String) async throws(StorageError) -> [String] {
        let command = Command(
            "losetup",
            ["--list", "--json", "--output", "NAME,BACK-FILE", "--associated", file],
            timeout: self.timeout
        )
        let result: CommandResult
        do {
            result = try await self.runner.runChecked(command)
        } catch {
            throw .command("Looking up the loop devices of \(file)", error)
        }
        return try Self.parseList(result.stdout).map(\.name)
    }

    /// Every loop device of the machine with the inode and file-system device of its backing file,
    /// from one `losetup --list`.
    func all() async throws(StorageError) -> [Entry] {
        let command = Command(
            "losetup", ["--list", "--json", "--output", "NAME,BACK-FILE,BACK-INO,BACK-MAJ:MIN"], timeout: self.timeout)
        let result: CommandResult
        do {
            result = try await self.runner.runChecked(command)
        } catch {
            throw .command("Listing the loop devices", error)
        }
        return try Self.parseList(result.stdout)
    }

    /// Attaches `file` to the first free loop device and returns that device's path.
    func attach(_ file: String) async throws(StorageError) -> String {
        let command = Command("losetup", ["--find", "--show", file], timeout: self.timeout)
        let result: CommandResult
        do {
            result = try await self.runner.runChecked(command)
        } catch {
            throw .command("Attaching \(file) to a loop device", error)
        }
        let device = result.stdout.trimmingWhitespace
        guard device.hasPrefix("/dev/") else {
            throw StorageError(
                .unexpectedOutput,
                "'\(command.commandLine)' printed '\(device)' instead of a device path."
            )
        }
        return device
    }

    /// Attaches `file` to `device` (`losetup DEVICE FILE`) when that device is free, so a volume
    /// attached again keeps its device path; otherwise to the first free device.
    func attach(_ file: String, preferring device: String?) async throws(StorageError) -> String {
        if let device, (try? await self.runner.runChecked(Command("losetup", [device, file], timeout: self.timeout))) != nil {
            return device
        }
        return try await self.attach(file)
    }

    /// Makes `device` take up its backing file's new size (`losetup -c`).
    func refreshCapacity(of device: String) async throws(StorageError) {
        do {
            try await self.runner.runChecked(Command("losetup", ["--set-capacity", device], timeout: self.timeout))
        } catch {
            throw .command("Updating the size of \(device)", error)
        }
    }

    /// Detaches `device` (`losetup -d`).
    func detach(_ device: String) async throws(StorageError) {
        do {
            try await self.runner.runChecked(Command("losetup", ["--detach", device], timeout: self.timeout))
        } catch {
            throw .command("Detaching \(device)", error)
        }
    }

    /// One row of `losetup --list --json`.
    struct Entry: Sendable, Hashable, Decodable {
        var name: String
        var backFile: String?
        var backInode: UInt64?
        /// `"254:0"`; losetup pads it with spaces.
        var backDevice: String?

        enum CodingKeys: String, CodingKey {
            case name
            case backFile = "back-file"
            case backInode = "back-ino"
            case backDevice = "back-maj:min"
        }

        init(name: String, backFile: String?, backInode: UInt64? = nil, backDevice: String? = nil) {
            self.name = name
            self.backFile = backFile
            self.backInode = backInode
            self.backDevice = backDevice
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.name = try container.decode(String.self, forKey: .name)
            self.backFile = try container.decodeIfPresent(String.self, forKey: .backFile)
            // Older util-linux prints the inode as a string.
            if let number = try? container.decodeIfPresent(UInt64.self, forKey: .backInode) {
                self.backInode = number
            } else {
                self.backInode = (try? container.decodeIfPresent(String.self, forKey: .backInode)).flatMap { $0.flatMap { UInt64($0.trimmingWhitespace) } }
            }
            self.backDevice = try? container.decodeIfPresent(String.self, forKey: .backDevice)
        }

        /// Whether this loop device is backed by the file with `status`.
        func isBacked(by status: LocalFileSystem.FileStatus) -> Bool {
            guard let inode = self.backInode, let device = self.backDevice else { return false }
            let numbers = device.split(separator: ":").map { UInt32($0.trimmingWhitespace) }
            return inode == status.inode && numbers.count == 2 && numbers[0] == status.deviceMajor && numbers[1] == status.deviceMinor
        }
    }

    /// Parses `losetup --list --json` output; empty output (no loop devices at all) is an empty list.
    static func parseList(_ output: String) throws(StorageError) -> [Entry] {
        struct Report: Decodable {
            var loopdevices: [Entry]?
        }
        guard output.contains(where: { !$0.isWhitespace }) else { return [] }
        do {
            return try JSONDecoder().decode(Report.self, from: Data(output.utf8)).loopdevices ?? []
        } catch {
            throw StorageError(.unexpectedOutput, "Cannot parse the output of losetup --list --json: \(error)")
        }
    }
}
