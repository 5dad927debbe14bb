import DepotWire
import Foundation
import Logging
import Testing

@testable import DepotSatellite

/// `drbdsetup events2` lines into kernel state, and kernel state into what the controller is told.
@Suite("DRBD events2 and observed state")
struct DRBDEventTests {
    static let initialDump = [
        "exists resource name:shared role:Secondary suspended:no write-ordering:flush force-io-failures:no may_promote:yes promotion_score:10101",
        "exists connection name:shared peer-node-id:1 conn-name:beta connection:Connected role:Secondary",
        "exists connection name:shared peer-node-id:2 conn-name:gamma connection:Connecting role:Unknown",
        "exists device name:shared volume:0 minor:1000 backing_dev:/dev/loop7 disk:Inconsistent client:no quorum:yes",
        "exists peer-device name:shared peer-node-id:1 conn-name:beta volume:0 replication:SyncTarget peer-disk:UpToDate peer-client:no resync-suspended:no done:41.996",
        "exists peer-device name:shared peer-node-id:2 conn-name:gamma volume:0 replication:Off peer-disk:DUnknown peer-client:no resync-suspended:no",
        "exists -",
    ]

    static let desired = DesiredDRBDResource(
        nodeID: 0, peerSlots: 7, alStripes: 1, alStripeSizeKiB: 32, secret: "s", address: "127.0.0.2", port: 7000, options: [:],
        peers: [
            DesiredDRBDPeer(nodeName: "beta", hostName: "beta-host", nodeID: 1, address: "127.0.0.3", port: 7000, diskless: false, tieBreaker: false),
            DesiredDRBDPeer(nodeName: "gamma", hostName: "gamma", nodeID: 2, address: "127.0.0.4", port: 7000, diskless: false, tieBreaker: false),
        ], diskless: false, tieBreaker: false)

    static func state(_ lines: [String]) -> DRBDKernelState {
        var state = DRBDKernelState()
        for line in lines { if let event = DRBDEvent(line) { state.apply(event) } }
        return state
    }

    @Test("lines parse into action, object and fields; timestamps and noise are skipped")
    func parsing() throws {
        let event = try #require(DRBDEvent("2026-11-25T10:00:00.000000+00:00 change peer-device name:r0 peer-node-id:1 conn-name:b volume:0 done:12.50"))
        #expect(event.action == .change)
        #expect(event.object == .peerDevice)
        #expect(event.fields["done"] == "12.50")
        #expect(event.peerNodeID == 1)
        #expect(DRBDEvent("exists -") == nil)
        #expect(DRBDEvent.isInitialDumpEnd("exists -"))
        #expect(DRBDEvent("garbage line") == nil)
        #expect(DRBDEvent("change resource role:Primary") == nil, "a line without a resource name means nothing")
    }

    @Test("the initial dump gives disk, sync progress, connections and promotion")
    func observation() {
        let state = Self.state(Self.initialDump)
        let observed = DRBDObservation(kernel: state.resources["shared"], desired: Self.desired, volumes: [0])
        #expect(observed.diskStates[0] == "SyncTarget(42.00%)")
        #expect(observed.devicePaths[0] == "/dev/drbd1000")
        #expect(observed.replication[0]?["beta"] == DRBDReplicationReport(state: "SyncTarget", donePercentage: 41.996, peerDiskState: "UpToDate"))
        #expect(observed.replication[0]?["gamma"]?.state == "Off")
        #expect(observed.resource.connections["beta"] == DRBDConnectionReport(state: "Connected"))
        #expect(observed.resource.connections["gamma"] == DRBDConnectionReport(state: "Connecting"))
        #expect(observed.resource.inUse == false)
        #expect(observed.resource.mayPromote == true)
        #expect(observed.resource.promotionScore == 10101)
    }

    @Test("changes accumulate; a finished sync drops its progress; destroy removes objects")
    func changes() {
        var lines = Self.initialDump
        lines += [
            "change peer-device name:shared peer-node-id:1 conn-name:beta volume:0 replication:Established peer-disk:UpToDate",
            "change device name:shared volume:0 minor:1000 disk:UpToDate",
            "change resource name:shared role:Primary may_promote:no promotion_score:0",
            "destroy connection name:shared peer-node-id:2 conn-name:gamma",
        ]
        let state = Self.state(lines)
        let observed = DRBDObservation(kernel: state.resources["shared"], desired: Self.desired, volumes: [0])
        #expect(observed.diskStates[0] == "UpToDate")
        #expect(observed.replication[0]?["beta"] == DRBDReplicationReport(state: "Established", donePercentage: nil, peerDiskState: "UpToDate"))
        #expect(observed.replication[0]?["gamma"] == nil)
        #expect(observed.resource.connections["gamma"] == DRBDConnectionReport(state: "Unconfigured"))
        #expect(observed.resource.inUse == true)
        let gone = Self.state(lines + ["destroy resource name:shared"])
        #expect(gone.resources["shared"] == nil)
    }

    @Test("a split-brain helper call marks the connection until it connects again")
    func splitBrain() {
        var lines = Self.initialDump
        lines += [
            "call helper name:shared peer-node-id:1 conn-name:beta volume:0 helper:split-brain",
            "change connection name:shared peer-node-id:1 conn-name:beta connection:StandAlone",
        ]
        let split = DRBDObservation(kernel: Self.state(lines).resources["shared"], desired: Self.desired, volumes: [0])
        #expect(split.resource.connections["beta"] == DRBDConnectionReport(state: "StandAlone", message: "SplitBrain"))
        lines.append("change connection name:shared peer-node-id:1 conn-name:beta connection:Connected")
        let healed = DRBDObservation(kernel: Self.state(lines).resources["shared"], desired: Self.desired, volumes: [0])
        #expect(healed.resource.connections["beta"] == DRBDConnectionReport(state: "Connected"))
    }

    @Test("generation identifiers round-trip and mark up to date in the first two flags")
    func generationIdentifiers() throws {
        let text = "0000000000000004:0000000000000000:0000000000000000:0000000000000000:0:0:0:0:1:0:0:0:0:0:0:0"
        let identifiers = try #require(GenerationIdentifiers(text + "\n"))
        #expect(identifiers.isFresh)
        #expect(identifiers.text == text)
        #expect(identifiers.markedUpToDate().text == "0000000000000004:0000000000000000:0000000000000000:0000000000000000:1:1:0:0:1:0:0:0:0:0:0:0")
        #expect(GenerationIdentifiers("No valid meta data found") == nil)
    }

    @Test("the monitor knows nothing until the initial dump ends, then follows changes")
    func monitor() async {
        let monitor = DRBDEventMonitor(runner: SubprocessCommandRunner(), drbdsetup: nil, logger: .init(label: "test"))
        await monitor.receive(Self.initialDump[0])
        #expect(await monitor.snapshot() == nil)
        for line in Self.initialDump.dropFirst() { await monitor.receive(line) }
        let version = await monitor.version
        #expect(await monitor.snapshot()?.resources["shared"] != nil)
        await monitor.receive("change resource name:shared role:Primary")
        #expect(await monitor.version == version + 1)
        #expect(await monitor.snapshot()?.resources["shared"]?.fields["role"] == "Primary")
    }

    @Test("when events2 ends the state is unknown until a restarted events2 dumped it again")
    func restart() async throws {
        let runner = ScriptedEvents2(runs: [Self.initialDump, Self.initialDump + ["change resource name:shared role:Primary"]])
        let monitor = DRBDEventMonitor(runner: runner, drbdsetup: "drbdsetup-test", restartDelay: .milliseconds(50), logger: .init(label: "test"))
        let task = Task { await monitor.run() }
        defer { task.cancel() }
        // Generous: on a loaded machine the parallel suite can starve this task for seconds; the
        // loop ends as soon as the restarted dump arrived.
        let deadline = ContinuousClock.now + .seconds(60)
        while await monitor.snapshot()?.resources["shared"]?.fields["role"] != "Primary", ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(await monitor.snapshot()?.resources["shared"]?.fields["role"] == "Primary")
        #expect(runner.commands.prefix(2).allSatisfy { $0 == ["drbdsetup-test", "events2", "--statistics", "all"] })
        #expect(runner.commands.count >= 2, "restarted after the first run ended")
    }
}

/// Test double for the command runner (no real drbdsetup): each run prints its lines and exits,
/// except the last, which stays up as a real events2 does until it is cancelled.
final class ScriptedEvents2: LineStreamingRunner, @unchecked Sendable {
    private let lock = NSLock()
    private var runs: [[String]]
    private var seen: [[String]] = []

    init(runs: [[String]]) { self.runs = runs }

    var commands: [[String]] { self.lock.withLock { self.seen } }

    func streamLines(_ command: Command, onLine: @Sendable (String) async -> Void) async throws(CommandError) -> Int32 {
        let (lines, last): ([String], Bool) = self.lock.withLock {
            self.seen.append([command.executable] + command.arguments)
            return (self.runs.isEmpty ? [] : self.runs.removeFirst(), self.runs.isEmpty)
        }
        for line in lines { await onLine(line) }
        if last { try? await Task.sleep(for: .seconds(3600)) }
        return 0
    }
}
