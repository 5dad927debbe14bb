import ArgumentParser
import Foundation

/// `depot-bench`: starts a real depot-controller on a temp data dir, fills it through LINSTOR's
/// REST API v1, and reports create throughput, list latency, cold start and memory against the
/// issue's targets.
@main
struct DepotBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "depot-bench",
        abstract: "Benchmark a depot-controller: create throughput, list latency, cold start, RSS.",
        discussion: """
            Starts --controller on a fresh temp data dir and a free 127.0.0.1 port, creates --nodes nodes with a \
            storage pool each, then --definitions resource definitions (layers drbd,storage) with one volume \
            definition and --replicas resources each, from --clients concurrent clients. Then it times the list \
            calls, restarts the controller on the same data, and reads its memory from /proc; on PostgreSQL \
            (--db-url) it then kills an active controller beside a standby and times the takeover. Every reply is \
            checked; the first error stops the run. Targets are reported, not asserted.
            """)

    @Option(help: "Nodes to create, each with one LVM_THIN storage pool.")
    var nodes = 100

    @Option(help: "Resource definitions to create, each with one volume definition.")
    var definitions = 10_000

    @Option(help: "Resources per definition, placed round-robin on the nodes.")
    var replicas = 3

    @Option(help: "Concurrent clients sending mutations.")
    var clients = 8

    @Option(help: "The depot-controller executable to start.")
    var controller = ".build/release/depot-controller"

    @Option(help: "Untimed requests before each list call's samples.")
    var warmups = 3

    @Option(help: "Timed requests per list call.")
    var samples = 50

    @Option(help: "Autoplacer placements to time in-process (0 skips them).")
    var placements = 10_000

    @Flag(help: "Only time the autoplacer; start no controller.")
    var placementOnly = false

    @Option(name: .customLong("db-url"), help: "Run the controller on this PostgreSQL database (new and empty) instead of SQLite.")
    var databaseURL: String?

    @Flag(help: "Keep the temp directory (data dir and controller log) after the run.")
    var keepData = false

    @Flag(help: "Print the report as JSON instead of text.")
    var json = false

    func validate() throws {
        guard self.nodes >= 1, self.definitions >= 1 else { throw ValidationError("--nodes and --definitions must be at least 1.") }
        guard (1...self.nodes).contains(self.replicas) else { throw ValidationError("--replicas must be between 1 and --nodes.") }
        guard (1...256).contains(self.clients) else { throw ValidationError("--clients must be between 1 and 256.") }
        guard self.warmups >= 1, self.samples >= 1 else { throw ValidationError("--warmups and --samples must be at least 1.") }
        let perNode = (self.definitions * self.replicas + self.nodes - 1) / self.nodes
        guard perNode <= Workload.drbdResourcesPerNode else {
            throw ValidationError(
                "\(perNode) resources per node exceed the \(Workload.drbdResourcesPerNode) DRBD ports (7000–7999) a node has; add nodes.")
        }
    }

    func run() async throws {
        let placement = self.placements > 0 ? try PlacementBenchmark(nodes: self.nodes, replicas: self.replicas, placements: self.placements).run() : nil
        if self.placementOnly {
            guard let placement else { throw ValidationError("--placement-only needs --placements above 0.") }
            print(self.json ? try Self.json(placement) : PlacementBenchmark.text(placement).joined(separator: "\n"))
            return
        }
        let executable = URL(fileURLWithPath: self.controller).standardizedFileURL.path
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw ValidationError(
                "No executable at \(executable). Build it with `swift build -c release --product depot-controller`, or pass --controller PATH.")
        }
        let session = try BenchSession(executable: executable, keepData: self.keepData, databaseURL: self.databaseURL)
        let interrupts = InterruptHandler(session: session)
        let run = BenchRun(
            workload: Workload(nodes: self.nodes, definitions: self.definitions, replicas: self.replicas),
            clients: self.clients, warmups: self.warmups, samples: self.samples, session: session)
        let report: BenchReport
        do {
            report = try await run.run()
        } catch {
            await session.tearDown()
            throw error
        }
        await session.tearDown()
        withExtendedLifetime(interrupts) {}
        if self.json {
            print(try Self.json(report))
            if let placement { print(try Self.json(placement)) }
        } else {
            print(ReportPrinter.text(report) + (placement.map { "\n\n" + PlacementBenchmark.text($0).joined(separator: "\n") } ?? ""))
        }
    }

    private static func json<T: Encodable>(_ report: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }
}
