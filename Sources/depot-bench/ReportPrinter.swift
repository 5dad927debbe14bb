import Foundation

/// The report for people: one section per question the issue asks.
enum ReportPrinter {
    static func text(_ report: BenchReport) -> String {
        var lines: [String] = []
        let setup = report.setup
        lines.append(
            "Depot benchmark: \(setup.nodes) nodes, \(setup.definitions) resource definitions × \(setup.replicas) replicas = "
                + "\(setup.resources) resources, \(setup.clients) clients")
        lines.append("controller: \(setup.controller)")
        lines.append("")
        lines += self.creations(report)
        lines.append("")
        lines += self.lists(report)
        lines.append("")
        lines += self.starts(report)
        lines.append("")
        lines += self.memory(report)
        lines.append("")
        lines += self.targets(report)
        return lines.joined(separator: "\n")
    }

    private static func creations(_ report: BenchReport) -> [String] {
        var lines = ["Creating (\(report.setup.clients) concurrent clients, one kind after another)"]
        lines.append(
            "  " + Format.column("kind", 22, right: false) + Format.column("requests", 9) + Format.column("objects", 9)
                + Format.column("seconds", 9) + Format.column("req/s", 9) + Format.column("obj/s", 9)
                + Format.column("p50 ms", 9) + Format.column("p99 ms", 9))
        for creation in report.creations + [report.creationTotal] {
            lines.append(
                "  " + Format.column(creation.kind, 22, right: false) + Format.column("\(creation.requests)", 9)
                    + Format.column("\(creation.objects)", 9) + Format.column(String(format: "%.2f", creation.seconds), 9)
                    + Format.column(Format.rate(creation.requestsPerSecond), 9) + Format.column(Format.rate(creation.objectsPerSecond), 9)
                    + Format.column(Format.ms(creation.latency.p50Ms), 9) + Format.column(Format.ms(creation.latency.p99Ms), 9))
        }
        return lines
    }

    private static func lists(_ report: BenchReport) -> [String] {
        var lines = [
            "Listing (sequential on one connection, \(report.setup.listWarmups) warm-ups, \(report.setup.listSamples) samples; body read and discarded)"
        ]
        lines.append(
            "  " + Format.column("call", 42, right: false) + Format.column("items", 7) + Format.column("size", 11)
                + Format.column("p50 ms", 9) + Format.column("p99 ms", 9) + Format.column("max ms", 9))
        for list in report.lists {
            lines.append(
                "  " + Format.column("GET " + list.path, 42, right: false) + Format.column("\(list.items)", 7)
                    + Format.column(Format.bytes(list.bytes), 11) + Format.column(Format.ms(list.latency.p50Ms), 9)
                    + Format.column(Format.ms(list.latency.p99Ms), 9) + Format.column(Format.ms(list.latency.maxMs), 9))
        }
        let during = report.listsWhileCreating
        lines.append(
            "  GET \(Workload.resourceListPath) while resources were created: \(during.latency.samples) samples, "
                + "p50 \(Format.ms(during.latency.p50Ms)) ms, p99 \(Format.ms(during.latency.p99Ms)) ms, "
                + "max \(Format.ms(during.latency.maxMs)) ms (up to \(Format.bytes(during.largestBytes)))")
        return lines
    }

    private static func starts(_ report: BenchReport) -> [String] {
        let cold = report.coldStart
        var rows: [(String, String)] = [
            ("fresh start, empty data dir: exec → GET /health 200", Format.ms(report.freshStartMs) + " ms"),
            ("SIGTERM → exit, loaded", Format.ms(cold.shutdownMs) + " ms (\(cold.shutdownStatus))"),
            ("cold start, \(cold.resourcesListed) resources: exec → GET /health 200", Format.ms(cold.execToHealthMs) + " ms"),
            ("cold start: exec → first full view-resources 200", Format.ms(cold.execToFirstFullListMs) + " ms"),
        ]
        if let takeover = report.takeover {
            rows.append(
                ("takeover (\(takeover.leaseSeconds) s lease): SIGKILL of the active → standby 200", Format.ms(takeover.killToHealthMs) + " ms"))
        }
        return ["Starting and stopping"] + rows.map { "  " + Format.column($0.0, 62, right: false) + $0.1 }
    }

    private static func memory(_ report: BenchReport) -> [String] {
        let memory = report.memory
        let rows: [(String, MemoryUsage)] = [
            ("idle, fresh start on an empty data dir", memory.idle),
            ("loaded, after filling and the list calls", memory.loaded),
            ("after the cold restart, at GET /health 200", memory.afterRestart),
            ("after the cold restart's first full list", memory.afterRestartFirstList),
        ]
        return ["Controller memory (VmRSS; peak is VmHWM)"]
            + rows.map { "  " + Format.column($0.0, 46, right: false) + Format.column(Format.mib(kib: $0.1.rssKib), 11) + "  (peak \(Format.mib(kib: $0.1.peakKib)))" }
    }

    private static func targets(_ report: BenchReport) -> [String] {
        ["Targets from the issue (reported, not asserted)"]
            + report.targets.map { target in
                let limit = "< " + String(format: "%g", target.limit) + " " + target.unit
                let measured = String(format: "%.1f", target.measured) + " " + target.unit
                return "  " + Format.column(target.name, 38, right: false) + Format.column(limit, 12, right: false)
                    + Format.column(measured, 12) + "  " + (target.met ? "met" : "MISSED")
            }
    }
}
