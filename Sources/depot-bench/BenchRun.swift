/// One benchmark run, start to finish, in the order the figures of ``BenchReport`` are taken.
struct BenchRun {
    let workload: Workload
    let clients: Int
    let warmups: Int
    let samples: Int
    let session: BenchSession

    func run() async throws -> BenchReport {
        let controller = try self.session.startController()
        Progress.say("started \(self.session.executable) as PID \(controller.pid) on 127.0.0.1:\(controller.port), data in \(self.session.dataDirectory)")
        let freshStart = try await controller.waitUntilHealthy()
        let idle = try MemoryUsage(pid: controller.pid)

        let clients = (0..<self.clients).map { HTTPClient(port: controller.port, label: "client-\($0)") }
        let probe = HTTPClient(port: controller.port, label: "probe")
        let fill = try await FillRunner(workload: self.workload, clients: clients, probe: probe).run()

        Progress.say("timing list calls (\(self.warmups) warm-ups, \(self.samples) samples each)…")
        let lists = try await self.measureLists(HTTPClient(port: controller.port, label: "lists"))
        let loaded = try MemoryUsage(pid: controller.pid)

        let coldStart = try await ColdStart(session: self.session, expectedResources: self.workload.resources).run()
        let takeover = self.session.databaseURL == nil ? nil : try await Takeover(session: self.session, expectedResources: self.workload.resources).run()
        return BenchReport(
            setup: BenchReport.Setup(
                nodes: self.workload.nodes, definitions: self.workload.definitions, replicas: self.workload.replicas,
                resources: self.workload.resources, clients: self.clients, controller: self.session.executable,
                listWarmups: self.warmups, listSamples: self.samples),
            freshStartMs: freshStart.milliseconds,
            creations: fill.phases.map { Self.creation($0.kind.rawValue, [$0]) },
            creationTotal: Self.creation("all", fill.phases),
            listsWhileCreating: BenchReport.ConcurrentLists(
                latency: LatencySummary(fill.concurrentLists.latencies), largestBytes: fill.concurrentLists.largestBytes),
            lists: lists,
            coldStart: coldStart.report, takeover: takeover,
            memory: BenchReport.Memory(
                idle: idle, loaded: loaded, afterRestart: coldStart.memoryAtReady, afterRestartFirstList: coldStart.memoryAfterFirstList))
    }

    private func measureLists(_ client: HTTPClient) async throws -> [ListLatency] {
        let benchmark = ListBenchmark(client: client, warmups: self.warmups, samples: self.samples)
        return [
            try await benchmark.measure(Workload.resourceListPath, expectedItems: self.workload.resources),
            try await benchmark.measure(
                Workload.resourceListPath + "?nodes=" + self.workload.nodeName(0), expectedItems: self.workload.resourceCount(onNode: 0)),
            try await benchmark.measure("/v1/nodes", expectedItems: self.workload.nodes),
            try await benchmark.measureScrape("/metrics", expectedAtLeast: self.workload.definitions),
        ]
    }

    /// Throughput of phases that ran one after another: their times add up.
    private static func creation(_ kind: String, _ phases: [FillRunner.PhaseResult]) -> BenchReport.Creation {
        let requests = phases.reduce(0) { $0 + $1.requests }
        let objects = phases.reduce(0) { $0 + $1.objects }
        let seconds = phases.reduce(0.0) { $0 + $1.elapsed.seconds }
        return BenchReport.Creation(
            kind: kind, requests: requests, objects: objects, seconds: seconds,
            requestsPerSecond: Double(requests) / max(seconds, 1e-9), objectsPerSecond: Double(objects) / max(seconds, 1e-9),
            latency: LatencySummary(phases.flatMap(\.latencies)))
    }
}
