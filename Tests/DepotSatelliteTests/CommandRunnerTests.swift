import Foundation
import Testing

@testable import DepotSatellite

@Suite("SubprocessCommandRunner runs real processes", .timeLimit(.minutes(1)))
struct CommandRunnerTests {
    let runner = SubprocessCommandRunner()

    @Test func capturesStdoutAndStderrApart() async throws {
        let result = try await self.runner.run(Command("sh", ["-c", "echo out; echo err >&2; exit 0"]))
        #expect(result.exitCode == 0)
        #expect(result.stdout == "out\n")
        #expect(result.stderr == "err\n")
        #expect(result.isSuccess)
    }

    @Test func argumentsReachTheProgramVerbatimWithoutAShell() async throws {
        let tricky = ["$(touch /tmp/depot-pwned)", "a b", "; rm -rf /", "`id`", "*", "'quoted'", ""]
        let result = try await self.runner.run(Command("printf", ["[%s]\\n"] + tricky))
        #expect(result.stdout == tricky.map { "[\($0)]\n" }.joined())
        #expect(!FileManager.default.fileExists(atPath: "/tmp/depot-pwned"))
    }

    @Test func nonZeroExitIsAResultAndRunCheckedTurnsItIntoAnError() async throws {
        let failing = Command("sh", ["-c", "echo partial; echo 'first problem' >&2; echo 'real problem' >&2; exit 5"])
        let result = try await self.runner.run(failing)
        #expect(result.exitCode == 5)
        #expect(result.stdout == "partial\n")

        let error = await #expect(throws: CommandError.self) { try await self.runner.runChecked(failing) }
        #expect(error?.code == .nonZeroExit)
        #expect(error?.exitCode == 5)
        #expect(error?.stderrTail == "first problem\nreal problem")
        #expect(
            error?.commandLine
                == "sh -c 'echo partial; echo '\\''first problem'\\'' >&2; echo '\\''real problem'\\'' >&2; exit 5'"
        )
        #expect(error?.description.contains("failed with exit code 5") == true)
        #expect(error?.description.hasSuffix("real problem") == true)

        let accepted = try await self.runner.runChecked(failing, acceptingExitCodes: [0, 5])
        #expect(accepted.exitCode == 5)
    }

    @Test func errorsKeepOnlyTheLastTwentyLinesOfStderr() async throws {
        let command = Command("sh", ["-c", "for i in $(seq 1 50); do echo line$i >&2; done; exit 3"])
        let error = await #expect(throws: CommandError.self) { try await self.runner.runChecked(command) }
        let lines = error?.stderrTail.split(separator: "\n") ?? []
        #expect(lines.count == CommandError.stderrTailLineLimit)
        #expect(lines.first == "line31")
        #expect(lines.last == "line50")
    }

    @Test func missingProgramIsALaunchFailure() async throws {
        for executable in ["depot-no-such-tool", "/nonexistent/depot-tool"] {
            let error = await #expect(throws: CommandError.self) {
                try await self.runner.run(Command(executable, ["x"]))
            }
            #expect(error?.code == .launchFailed)
            #expect(error?.description.contains(executable) == true)
        }
    }

    @Test func timeoutTerminatesTheProgramAndEverythingItStarted() async throws {
        let pidFile = "/tmp/depot-runner-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).pid"
        defer { try? FileManager.default.removeItem(atPath: pidFile) }
        // The shell starts a child that ignores nothing and a loop that would run for a minute.
        let command = Command(
            "sh",
            ["-c", "sleep 60 & echo $! > \(pidFile); echo started >&2; wait"],
            // Long enough for the shell to start even on a loaded machine.
            timeout: .seconds(1)
        )
        let start = ContinuousClock.now
        let error = await #expect(throws: CommandError.self) { try await self.runner.run(command) }
        let elapsed = ContinuousClock.now - start
        #expect(error?.code == .timedOut)
        #expect(error?.stderrTail == "started")
        #expect(error?.description.contains("timed out") == true)
        #expect(elapsed < .seconds(10))
        let childPID = try #require(
            Int32(String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))
        )
        // The grandchild got the process-group signal too (a zombie waiting for init counts as gone).
        var alive = Self.isRunning(childPID)
        for _ in 0..<100 where alive {
            try await Task.sleep(for: .milliseconds(20))
            alive = Self.isRunning(childPID)
        }
        #expect(!alive, "sleep \(childPID) survived the timeout")
    }

    /// Whether `pid` exists and is not a zombie.
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        // "PID (comm) STATE …": the state follows the last ')'.
        guard let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != "Z" && state != "X"
    }

    @Test func programThatClosesItsOutputStillTimesOut() async throws {
        let command = Command("sh", ["-c", "echo before >&2; exec >/dev/null 2>&1; sleep 60"], timeout: .seconds(1))
        let start = ContinuousClock.now
        let error = await #expect(throws: CommandError.self) { try await self.runner.run(command) }
        #expect(error?.code == .timedOut)
        #expect(error?.stderrTail == "before")
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test func grandchildHoldingThePipesDoesNotDelayTheResult() async throws {
        let start = ContinuousClock.now
        // The grandchild keeps the pipes open for 20 s; the answer comes long before, also on a busy machine.
        let result = try await self.runner.run(Command("sh", ["-c", "sleep 20 & echo done"], timeout: .seconds(60)))
        #expect(result.exitCode == 0)
        #expect(result.stdout == "done\n")
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test func programIgnoringSIGTERMIsKilled() async throws {
        let runner = SubprocessCommandRunner(terminationGracePeriod: .milliseconds(300))
        let command = Command(
            "sh",
            ["-c", "trap '' TERM; while true; do sleep 0.1; done"],
            timeout: .milliseconds(300)
        )
        let start = ContinuousClock.now
        let error = await #expect(throws: CommandError.self) { try await runner.run(command) }
        #expect(error?.code == .timedOut)
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test func stdinIsDevNullUnlessGiven() async throws {
        let empty = try await self.runner.run(Command("cat"))
        #expect(empty.stdout == "")
        let fed = try await self.runner.run(Command("cat", stdin: Array("yes\npassphrase".utf8)))
        #expect(fed.stdout == "yes\npassphrase")
    }

    @Test func environmentIsMinimalPlusTheCommandsOwn() async throws {
        setenv("DEPOT_TEST_SECRET", "leaked", 1)
        defer { unsetenv("DEPOT_TEST_SECRET") }
        let result = try await self.runner.run(Command("env", environment: ["LVM_SYSTEM_DIR": "/tmp/x"]))
        let variables = Set(result.stdout.split(separator: "\n").map(String.init))
        #expect(variables.contains("LVM_SYSTEM_DIR=/tmp/x"))
        #expect(variables.contains("LC_ALL=C"))
        #expect(!result.stdout.contains("DEPOT_TEST_SECRET"))
        let path = try #require(variables.first { $0.hasPrefix("PATH=") })
        #expect(path.contains("/usr/sbin"))
    }

    @Test func outputBeyondTheLimitIsCutNotBlocking() async throws {
        let runner = SubprocessCommandRunner(outputLimit: 64 * 1024)
        let command = Command(
            "sh",
            ["-c", "head -c 3000000 /dev/zero; head -c 3000000 /dev/zero | tr '\\0' e >&2; echo done >&2"]
        )
        let result = try await runner.run(command)
        #expect(result.exitCode == 0)
        #expect(result.isTruncated)
        #expect(result.stdout.utf8.count == 64 * 1024)
        #expect(result.stderr.utf8.count == 64 * 1024)
        #expect(result.stderr.hasSuffix("eeedone\n"))
    }

    @Test func signalEndedProgramReportsTheSignal() async throws {
        let result = try await self.runner.run(Command("sh", ["-c", "kill -KILL $$"]))
        #expect(result.terminationSignal == 9)
        #expect(result.exitCode == 137)
        #expect(!result.isSuccess)
        let error = await #expect(throws: CommandError.self) {
            try await self.runner.runChecked(Command("sh", ["-c", "kill -KILL $$"]))
        }
        #expect(error?.description.contains("signal 9") == true)
    }

    @Test func cancellingTheCallerEndsTheProgram() async throws {
        let task = Task { try await self.runner.run(Command("sleep", ["60"])) }
        try await Task.sleep(for: .milliseconds(200))
        let start = ContinuousClock.now
        task.cancel()
        let outcome = await task.result
        #expect(ContinuousClock.now - start < .seconds(10))
        switch outcome {
        case .success(let result): #expect(result.terminationSignal != nil)
        case .failure(let error): #expect((error as? CommandError)?.code == .cancelled)
        }
    }
}

@Suite("Command")
struct CommandTests {
    @Test func commandLineQuotesOnlyWhatNeedsIt() {
        let command = Command("lvcreate", ["--size", "10240k", "--name", "a b", "it's", "", "vg0"])
        #expect(command.commandLine == "lvcreate --size 10240k --name 'a b' 'it'\\''s' '' vg0")
    }

    @Test func commandLineShowsAddedEnvironmentSorted() {
        let command = Command("vgs", environment: ["LVM_SYSTEM_DIR": "/tmp/lvm conf", "A": "1"])
        #expect(command.commandLine == "A=1 LVM_SYSTEM_DIR='/tmp/lvm conf' vgs")
    }

    @Test func stderrTailDropsTrailingBlankLines() {
        #expect(CommandError.tail(of: "a\nb  \n\n\n") == "a\nb")
        #expect(CommandError.tail(of: "") == "")
    }
}
