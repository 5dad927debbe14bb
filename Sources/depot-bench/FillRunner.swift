import Synchronization

/// Fills the controller with the workload, kind after kind, from several concurrent clients, and
/// meanwhile samples the full resource list to show whether reads wait behind writes.
struct FillRunner {
    /// One kind's outcome.
    struct PhaseResult: Sendable {
        let kind: Workload.Kind
        let requests: Int
        let objects: Int
        let elapsed: Duration
        let latencies: [Duration]
    }

    /// The full resource list, read while resources are being created.
    struct ConcurrentListResult: Sendable {
        let latencies: [Duration]
        let largestBytes: Int
    }

    /// Pause between concurrent list reads: enough to sample the whole resource phase without
    /// turning the probe into a ninth writer-sized load.
    private static let probeInterval = Duration.milliseconds(100)
    private static let probeLimit = 2000

    let workload: Workload
    let clients: [HTTPClient]
    let probe: HTTPClient

    func run() async throws -> (phases: [PhaseResult], concurrentLists: ConcurrentListResult) {
        var results: [PhaseResult] = []
        var concurrentLists = ConcurrentListResult(latencies: [], largestBytes: 0)
        for phase in self.workload.phases {
            Progress.say("creating \(phase.requests * phase.objectsPerRequest) \(phase.kind.rawValue) with \(self.clients.count) clients…")
            if phase.kind == .resources {
                let stop = StopFlag()
                async let lists = self.probeLists(until: stop)
                let result: PhaseResult
                do {
                    result = try await self.run(phase)
                } catch {
                    stop.set()
                    _ = try? await lists
                    throw error
                }
                stop.set()
                concurrentLists = try await lists
                results.append(result)
            } else {
                results.append(try await self.run(phase))
            }
            if let last = results.last {
                let rate = Double(last.requests) / max(last.elapsed.seconds, 1e-9)
                Progress.say("  \(last.requests) requests in \(Format.seconds(last.elapsed)) (\(Format.rate(rate)) req/s)")
            }
        }
        return (results, concurrentLists)
    }

    /// Client `k` of `n` sends requests `k`, `k+n`, `k+2n`, …: bounded, balanced, and no shared counter.
    private func run(_ phase: Workload.Phase) async throws -> PhaseResult {
        let started = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for (offset, client) in self.clients.enumerated() {
                group.addTask {
                    var latencies: [Duration] = []
                    for index in stride(from: offset, to: phase.requests, by: self.clients.count) {
                        try Task.checkCancellation()
                        let request = phase.request(index)
                        let response = try await client.send(request)
                        try ReplyCheck.mutation(request, response)
                        latencies.append(response.elapsed)
                    }
                    return latencies
                }
            }
            var all: [Duration] = []
            for try await latencies in group { all += latencies }
            return all
        }
        return PhaseResult(
            kind: phase.kind, requests: phase.requests, objects: phase.requests * phase.objectsPerRequest,
            elapsed: ContinuousClock.now - started, latencies: latencies)
    }

    /// Reads the full resource list again and again until `stop` is set.
    private func probeLists(until stop: StopFlag) async throws -> ConcurrentListResult {
        let request = HTTPRequest.get("/v1/view/resources")
        var latencies: [Duration] = []
        var largest = 0
        while !stop.isSet, latencies.count < Self.probeLimit {
            let response = try await self.probe.send(request, body: .discard)
            try ReplyCheck.list(request, response)
            latencies.append(response.elapsed)
            largest = max(largest, response.bodyBytes)
            try? await Task.sleep(for: Self.probeInterval)
        }
        return ConcurrentListResult(latencies: latencies, largestBytes: largest)
    }
}

/// Tells the list probe that the writers are done.
private final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)

    var isSet: Bool { self.value.load(ordering: .acquiring) }

    func set() {
        self.value.store(true, ordering: .releasing)
    }
}

extension Duration {
    var seconds: Double { self.milliseconds / 1000 }
}
