/// Builds and runs LVM commands with the provider's environment and configuration.
struct LVMTool: Sendable {
    let runner: any CommandRunner
    let settings: LVMProvider.Settings

    /// A command for LVM tool `name` (`lvcreate`, `vgs`, …): `--config` when set, then `arguments`.
    func command(_ name: String, _ arguments: [String]) -> Command {
        var environment = ["LVM_SUPPRESS_FD_WARNINGS": "1"]
        if let directory = self.settings.systemDirectory {
            environment["LVM_SYSTEM_DIR"] = directory
        }
        var words: [String] = []
        if let config = self.settings.config {
            words += ["--config", config]
        }
        return Command(name, words + arguments, environment: environment, timeout: self.settings.commandTimeout)
    }

    /// The report arguments shared by `vgs` and `lvs`.
    private static let reportArguments = ["--reportformat", "json", "--units", "b", "--nosuffix"]

    /// `vgs` for one VG; `nil` when the VG does not exist.
    func volumeGroup(_ name: String) async throws(StorageError) -> LVMReport.VolumeGroup? {
        let command = self.command("vgs", Self.reportArguments + ["-o", LVMReport.volumeGroupFields, name])
        let result = try await self.run(command, "Reading volume group '\(name)'")
        let groups = try LVMReport.volumeGroups(result.stdout)
        if let group = groups.first(where: { $0.name == name }) { return group }
        // A missing VG exits 5 with an empty report and 'Volume group "…" not found'; any other
        // failure (locking, a broken PV) must not pass for a missing pool.
        if result.exitCode == 0 || result.stderr.contains("not found") { return nil }
        throw .command(
            "Reading volume group '\(name)'",
            CommandError(.nonZeroExit, command: command, exitCode: result.exitCode, stderr: result.stderr)
        )
    }

    /// `vgs` for one VG that must exist.
    func requireVolumeGroup(_ name: String, pool: PoolConfig) async throws(StorageError) -> LVMReport.VolumeGroup {
        guard let group = try await self.volumeGroup(name) else {
            throw StorageError(.poolMissing, "Storage pool '\(pool.name)': volume group '\(name)' does not exist.")
        }
        return group
    }

    /// `lvs` of every LV in VG `name`.
    func logicalVolumes(in name: String, pool: PoolConfig) async throws(StorageError) -> [LVMReport.LogicalVolume] {
        let command = self.command("lvs", Self.reportArguments + ["-o", LVMReport.logicalVolumeFields, name])
        let result = try await self.run(command, "Listing the logical volumes of '\(name)'")
        guard result.exitCode == 0 else {
            // Tell a missing VG (exit 5, empty report) apart from a failing lvs.
            _ = try await self.requireVolumeGroup(name, pool: pool)
            throw .command(
                "Listing the logical volumes of '\(name)'",
                CommandError(.nonZeroExit, command: command, exitCode: result.exitCode, stderr: result.stderr)
            )
        }
        return try LVMReport.logicalVolumes(result.stdout)
    }

    /// `lvs` of one LV (`VG/LV`), `nil` when the VG has no such LV. Its cost does not grow with the
    /// number of LVs in the VG, unlike ``logicalVolumes(in:pool:)``: a create or resize on a node
    /// with a thousand volumes looks at its own LV only.
    func logicalVolume(_ lv: String, in volumeGroup: String, pool: PoolConfig) async throws(StorageError) -> LVMReport.LogicalVolume? {
        let command = self.command("lvs", Self.reportArguments + ["-o", LVMReport.logicalVolumeFields, "\(volumeGroup)/\(lv)"])
        let result = try await self.run(command, "Reading logical volume '\(volumeGroup)/\(lv)'")
        if result.exitCode == 0 { return try LVMReport.logicalVolumes(result.stdout).first { $0.name == lv } }
        // A missing LV exits 5 with 'Failed to find logical volume'; a missing VG is the pool's problem.
        if result.stderr.contains("Failed to find logical volume") { return nil }
        _ = try await self.requireVolumeGroup(volumeGroup, pool: pool)
        throw .command(
            "Reading logical volume '\(volumeGroup)/\(lv)'",
            CommandError(.nonZeroExit, command: command, exitCode: result.exitCode, stderr: result.stderr)
        )
    }

    /// Runs a command that must succeed.
    @discardableResult
    func runChecked(_ name: String, _ arguments: [String], _ what: String) async throws(StorageError) -> CommandResult {
        do {
            return try await self.runner.runChecked(self.command(name, arguments))
        } catch {
            throw .command(what, error)
        }
    }

    func run(_ command: Command, _ what: String) async throws(StorageError) -> CommandResult {
        do {
            return try await self.runner.run(command)
        } catch {
            throw .command(what, error)
        }
    }
}
