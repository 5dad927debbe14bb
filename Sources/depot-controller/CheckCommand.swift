import ArgumentParser
import DepotController
import Foundation

/// `depot-controller check [--repair]`: the integrity check, with fsck's exit codes.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the database: rows that do not decode, dangling references, numbers used twice.",
        discussion: """
            Prints every stored object the controller would leave out at start, and why. With --repair \
            (the controller must be stopped), moves them into the quarantine (table quarantined_rows), \
            where they stay readable. Exit status: 0 nothing found, 1 found and repaired, 4 found and \
            left, 8 the check could not run.
            """)

    @OptionGroup var database: DatabaseOptions

    @Flag(name: .customLong("repair"), help: "Move what is found into the quarantine.")
    var repair = false

    func run() async throws {
        try await runTool("check") {
            let location = try self.database.location()
            let result = try await DatabaseTools.check(location, repair: self.repair)
            print("Checked the \(location).")
            for finding in result.findings {
                print("  \(result.repaired ? "QUARANTINED" : "PROBLEM")  \(finding)")
            }
            if result.findings.isEmpty {
                print("No problems found.")
            } else if result.repaired {
                print("\(result.findings.count) problem(s) moved into the quarantine; the controller now loads everything that is left.")
            } else {
                print("\(result.findings.count) problem(s) found. Stop the controller and run `depot-controller check --repair` to move them into the quarantine.")
            }
            if result.quarantined > 0 { print("The quarantine holds \(result.quarantined) row(s) (table quarantined_rows).") }
            return result.findings.isEmpty ? 0 : result.repaired ? 1 : 4
        }
    }
}
