public import DepotReports
import DepotWire
import Foundation

/// What a node contributes to an SOS report: the state of its storage, DRBD and kernel, read with
/// the usual tools, its own error reports, and the satellite's bookkeeping.
///
/// Every command runs with a short timeout and every file is cut at ``maximumBytes``, so one stuck
/// tool or huge log cannot hold up or bloat the report; a tool that fails leaves its error instead.
public struct SosInventory: Sendable {
    let runner: any CommandRunner
    let reporter: ErrorReporter
    let stateDirectory: String

    static let maximumBytes = 1024 * 1024
    static let commandTimeout: Duration = .seconds(10)

    /// File name in the report, and the command whose output it holds.
    static let commands: [(String, Command)] = [
        ("uname", Command("uname", ["-a"])),
        ("uptime", Command("uptime")),
        ("ip-a", Command("ip", ["a"])),
        ("lsblk", Command("lsblk", ["-O"])),
        ("lsblk.json", Command("lsblk", ["-O", "--json"])),
        ("lvs", Command("lvs", ["-a", "-o", "+devices,segtype,lv_attr"])),
        ("vgs", Command("vgs")),
        ("pvs", Command("pvs")),
        ("losetup", Command("losetup", ["--list"])),
        ("dmsetup-table", Command("dmsetup", ["table"])),
        ("drbd-status", Command("drbdsetup", ["status", "-vvv"])),
        ("drbd-events2", Command("drbdsetup", ["events2", "all", "--now"])),
        ("drbdadm-version", Command("drbdadm", ["--version"])),
        ("zfs-list", Command("zfs", ["list", "-t", "snapshot,volume"])),
        ("zpool-status", Command("zpool", ["status"])),
        ("dmesg", Command("dmesg", ["-T"])),
    ]

    /// Files read as they are.
    static let files: [(String, String)] = [
        ("proc-drbd", "/proc/drbd"), ("proc-sys-kernel-tainted", "/proc/sys/kernel/tainted"), ("os-release", "/etc/os-release"),
    ]

    public init(runner: any CommandRunner, reporter: ErrorReporter, stateDirectory: String) {
        self.runner = runner
        self.reporter = reporter
        self.stateDirectory = stateDirectory
    }

    /// The node's files for a report, by name; error reports and logs since `since` (milliseconds) only.
    func collect(since: Int64?) async -> [String: String] {
        var files: [String: String] = [:]
        // The satellite's own log and the kernel's, from the journal where systemd runs the units.
        let journalSince = since.map { "@\($0 / 1000)" } ?? "-7d"
        let journals = [
            ("journalctl-depot-satellite", Command("journalctl", ["-u", "depot-satellite", "--since", journalSince, "--no-pager"])),
            ("journalctl-kernel", Command("journalctl", ["--dmesg", "--since", journalSince, "--no-pager"])),
        ]
        for (name, command) in Self.commands + journals {
            var command = command
            command.timeout = Self.commandTimeout
            do {
                let result = try await self.runner.run(command)
                files[name] = Self.cut(result.stdout)
                if !result.isSuccess || !result.stderr.isEmpty {
                    files[name + ".err"] = Self.cut("\(command.commandLine)\nexit code \(result.exitCode)\n\(result.stderr)")
                }
            } catch {
                files[name + ".err"] = "\(command.commandLine)\n\(error)"
            }
        }
        for (name, path) in Self.files {
            files[name] = (try? String(contentsOfFile: path, encoding: .utf8)).map(Self.cut) ?? "(\(path) cannot be read)"
        }
        for report in self.reporter.list(ErrorReportFilter(since: since), withContent: true).reports {
            files["error-reports/" + (report.filename ?? report.id)] = report.text.map(Self.cut) ?? ""
        }
        // The satellite's own ledgers (volumes it made, mappings it opened; no secrets are kept there).
        let ledgers = (try? FileManager.default.contentsOfDirectory(atPath: self.stateDirectory)) ?? []
        for name in ledgers.sorted() where name.hasSuffix(".json") || name == "controller-id" {
            if let text = try? String(contentsOfFile: self.stateDirectory + "/" + name, encoding: .utf8) {
                files["state/" + name] = Self.cut(text)
            }
        }
        return files
    }

    static func cut(_ text: String) -> String {
        text.utf8.count <= Self.maximumBytes ? text : String(decoding: text.utf8.prefix(Self.maximumBytes), as: UTF8.self) + "\n[cut at 1 MiB]\n"
    }
}
