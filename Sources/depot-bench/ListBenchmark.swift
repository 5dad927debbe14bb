/// Sequential latency of one list call on one keep-alive connection, with nothing else running.
struct ListBenchmark {
    let client: HTTPClient
    let warmups: Int
    let samples: Int

    /// The first warm-up keeps its body to check the item count; the timed samples only count
    /// bytes, so the figures are the controller's time, not the bench's copying.
    func measure(_ path: String, expectedItems: Int) async throws -> ListLatency {
        try await self.measure(path) { request, first in
            let items = try ReplyCheck.itemCount(request, first)
            guard items == expectedItems else {
                throw BenchError.wrongAnswer("GET \(path) listed \(items) items, expected \(expectedItems).")
            }
            return items
        }
    }

    /// `GET /metrics` as Prometheus scrapes it; its items are the samples (lines that are not
    /// comments), at least one per volume definition.
    func measureScrape(_ path: String, expectedAtLeast: Int) async throws -> ListLatency {
        try await self.measure(path) { _, first in
            let samples = first.bodyText.split(separator: "\n").filter { !$0.hasPrefix("#") }.count
            guard samples >= expectedAtLeast else {
                throw BenchError.wrongAnswer("GET \(path) gave \(samples) samples, expected at least \(expectedAtLeast).")
            }
            return samples
        }
    }

    private func measure(_ path: String, count: (HTTPRequest, HTTPResponse) throws -> Int) async throws -> ListLatency {
        let request = HTTPRequest.get(path)
        let first = try await self.client.send(request, body: .keep)
        try ReplyCheck.list(request, first)
        let items = try count(request, first)
        for _ in 1..<max(1, self.warmups) {
            try ReplyCheck.list(request, try await self.client.send(request, body: .discard))
        }
        var latencies: [Duration] = []
        var bytes = 0
        for _ in 0..<self.samples {
            let response = try await self.client.send(request, body: .discard)
            try ReplyCheck.list(request, response)
            latencies.append(response.elapsed)
            bytes = response.bodyBytes
        }
        return ListLatency(path: path, items: items, bytes: bytes, latency: LatencySummary(latencies))
    }
}
