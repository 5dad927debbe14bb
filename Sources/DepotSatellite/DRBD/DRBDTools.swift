import DepotModel
import Foundation

/// The DRBD commands the satellite runs, as argv arrays: drbdadm for configuration changes (always
/// reading the satellite's own main file), drbdsetup for teardown, drbdmeta for metadata.
struct DRBDTools: Sendable {
    let runner: any CommandRunner
    let settings: DRBDSettings

    /// drbdadm finds this node's `on` section by this name instead of `uname -n`.
    private var environment: [String: String] {
        var environment = ["__DRBD_NODE__": self.settings.hostname]
        environment["DRBD_DRIVER_VERSION_OVERRIDE"] = self.settings.moduleVersion
        return environment
    }

    private func drbdadm(_ arguments: [String], timeout: Duration = Command.defaultTimeout) -> Command {
        let drbdsetup = self.settings.drbdsetup.map { ["-s", $0] } ?? []
        return Command("drbdadm", ["-c", self.settings.mainConfigPath] + drbdsetup + arguments, environment: self.environment, timeout: timeout)
    }

    /// drbdadm parses the candidate in place of the live file; nothing reaches the kernel.
    func validate(candidate: String, replacing live: String) async throws(DRBDError) {
        let command = self.drbdadm(["--config-to-test", candidate, "--config-to-exclude", live, "sh-nop"], timeout: .seconds(20))
        do {
            try await self.runner.runChecked(command)
        } catch {
            throw DRBDError(.invalidConfiguration, "drbdadm rejected the generated configuration; the previous configuration stays in effect.", commandError: error)
        }
    }

    /// Brings the kernel's view of the resource in line with its file: the only way resources go up or change.
    func adjust(_ resource: String) async throws(DRBDError) {
        do {
            try await self.runner.runChecked(self.drbdadm(["adjust", resource]))
        } catch {
            throw DRBDError(.commandFailed, "Adjusting DRBD resource '\(resource)' failed.", commandError: error)
        }
    }

    /// Holds (`suspend-io`) or releases (`resume-io`) the resource's application I/O: while held, no
    /// write reaches any replica, so snapshots taken on several nodes hold the same data.
    func setIOSuspended(_ resource: String, _ suspended: Bool) async throws(DRBDError) {
        let verb = suspended ? "suspend-io" : "resume-io"
        do {
            try await self.runner.runChecked(self.drbdadm([verb, resource]))
        } catch {
            throw DRBDError(.commandFailed, (suspended ? "Suspending" : "Resuming") + " I/O of DRBD resource '\(resource)' failed.", commandError: error)
        }
    }

    /// Lets DRBD use a grown backing device.
    ///
    /// - Parameter assumeClean: the new area need not be resynced (thin storage reads zeros on every
    ///   replica); a resync would write, and so allocate, all of it on the peers.
    func resize(_ resource: String, volume: Int, assumeClean: Bool) async throws(DRBDError) {
        let clean = assumeClean ? ["--", "--assume-clean"] : []
        do {
            try await self.runner.runChecked(self.drbdadm(clean + ["resize", "\(resource)/\(volume)"]))
        } catch {
            throw DRBDError(.commandFailed, "Resizing DRBD volume \(volume) of '\(resource)' failed.", commandError: error)
        }
    }

    /// Frees the bitmap slot the metadata keeps for a removed peer (after drbdadm adjust deleted the
    /// connection): DRBD refuses cluster-wide size changes while a known peer is not connected.
    func forgetPeer(_ resource: String, nodeID: Int) async throws(DRBDError) {
        let command = Command(self.settings.drbdsetup ?? "drbdsetup", ["forget-peer", resource, String(nodeID)], timeout: .seconds(30))
        do {
            try await self.runner.runChecked(command)
        } catch {
            throw DRBDError(.commandFailed, "Forgetting the removed peer with node-id \(nodeID) of '\(resource)' failed.", commandError: error)
        }
    }

    /// Takes the resource out of the kernel; a resource the kernel does not know is already down.
    func down(_ resource: String) async throws(DRBDError) {
        let command = Command(self.settings.drbdsetup ?? "drbdsetup", ["down", resource], timeout: .seconds(30))
        let result: CommandResult
        do {
            result = try await self.runner.run(command)
        } catch {
            throw DRBDError(.commandFailed, "Taking DRBD resource '\(resource)' down failed.", commandError: error)
        }
        // The kernel refuses while the device is held open: the replica stays, and so does its storage.
        if result.stderr.contains("held open") {
            throw DRBDError(
                .inUse,
                "DRBD resource '\(resource)' is in use on this node (held open: mounted or opened by a process); it stays up and its storage is kept. "
                    + "Unmount it or stop what holds it; the removal is retried with the next change.",
                commandError: CommandError(.nonZeroExit, command: command, exitCode: result.exitCode, stderr: result.stderr))
        }
        // drbdsetup exits 10 ("unknown resource") when there is nothing to take down.
        guard result.exitCode == 0 || result.exitCode == 10 || result.stderr.contains("Unknown resource") else {
            throw DRBDError(
                .commandFailed, "Taking DRBD resource '\(resource)' down failed.",
                commandError: CommandError(.nonZeroExit, command: command, exitCode: result.exitCode, stderr: result.stderr))
        }
    }

    // MARK: Metadata

    private func drbdmeta(minor: Int, device: String, nodeID: Int?, _ arguments: [String]) -> Command {
        let node = nodeID.map { ["--node-id", String($0)] } ?? []
        return Command("drbdmeta", ["--force"] + node + [String(minor), "v09", device, "internal"] + arguments, timeout: .seconds(60))
    }

    /// The metadata's generation identifiers as seen from `nodeID`'s slot, or `nil` when the device
    /// has no DRBD metadata.
    func generationIdentifiers(minor: Int, device: String, nodeID: Int) async throws(DRBDError) -> GenerationIdentifiers? {
        let command = self.drbdmeta(minor: minor, device: device, nodeID: nil, ["get-gi", "--node-id", String(nodeID)])
        let result: CommandResult
        do {
            result = try await self.runner.run(command)
        } catch {
            throw DRBDError(.metadata, "Reading the DRBD metadata of \(device) failed.", commandError: error)
        }
        if result.exitCode == 0, let identifiers = GenerationIdentifiers(result.stdout) { return identifiers }
        let stderr = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        // Only a clear "nothing there" allows creating metadata: anything else might be data.
        guard result.exitCode != 0, stderr.isEmpty || stderr.contains("No valid meta data found") else {
            throw DRBDError(
                .metadata, "The DRBD metadata of \(device) could not be read; it is left untouched.",
                commandError: CommandError(.nonZeroExit, command: command, exitCode: result.exitCode, stderr: result.stderr))
        }
        return nil
    }

    func createMetadata(minor: Int, device: String, peerSlots: Int, alStripes: Int, alStripeSizeKiB: Int64) async throws(DRBDError) {
        var arguments = ["create-md"]
        if alStripes != 1 || alStripeSizeKiB != 32 {
            arguments += ["--al-stripes", String(alStripes), "--al-stripe-size-kB", String(alStripeSizeKiB)]
        }
        arguments.append(String(peerSlots))
        do {
            try await self.runner.runChecked(self.drbdmeta(minor: minor, device: device, nodeID: nil, arguments))
        } catch {
            throw DRBDError(.metadata, "Creating DRBD metadata on \(device) failed.", commandError: error)
        }
    }

    func setGenerationIdentifiers(_ identifiers: GenerationIdentifiers, minor: Int, device: String, nodeID: Int) async throws(DRBDError) {
        do {
            try await self.runner.runChecked(self.drbdmeta(minor: minor, device: device, nodeID: nodeID, ["set-gi", identifiers.text]))
        } catch {
            throw DRBDError(.metadata, "Writing the DRBD generation identifiers of \(device) failed.", commandError: error)
        }
    }
}

/// DRBD's generation identifiers as `drbdmeta get-gi` prints them (v09):
/// `current:bitmap:history1:history2:flag:flag:…` with flags as 0/1.
struct GenerationIdentifiers: Sendable, Equatable {
    var current: String
    var bitmap: String
    var history: [String]
    var flags: [String]

    /// The current generation of metadata `create-md` just wrote (`UUID_JUST_CREATED`).
    static let justCreated = "0000000000000004"

    init?(_ text: String) {
        let fields = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":").map(String.init)
        guard fields.count >= 6, fields[0...3].allSatisfy({ $0.count == 16 && $0.allSatisfy(\.isHexDigit) }) else { return nil }
        self.current = fields[0]
        self.bitmap = fields[1]
        self.history = [fields[2], fields[3]]
        self.flags = Array(fields[4...])
    }

    var text: String { ([self.current, self.bitmap] + self.history + self.flags).joined(separator: ":") }

    var isFresh: Bool { self.current.uppercased() == Self.justCreated }

    /// The data is consistent and was up to date (the first two flags).
    func markedUpToDate() -> GenerationIdentifiers {
        var copy = self
        if copy.flags.count >= 2 {
            copy.flags[0] = "1"
            copy.flags[1] = "1"
        }
        return copy
    }
}
