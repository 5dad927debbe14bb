/// Sequential latency of one list call on one keep-alive connection, with nothing else running.
struct ListBenchmark {
    let client: HTTPClient
    let warmups: Int
    let samples: Int

    /// The first warm-up keeps its body to check the item count; the timed samples only count
    /// bytes, so the figures are the controller's time, not the bench's copying.
    func measure(_ path: String, expectedItems: Int) async throws -> ListLatency {
        let request = HTTPRequest.get(path)
        let first = try await self.client.send(request, body: .keep)
        try ReplyCheck.list(request, first)
        let items = try ReplyCheck.itemCount(request, first)
        guard items == expectedItems else {
            throw BenchError.wrongAnswer("GET \(path) listed \(items) items, expected \(expectedItems).")
        }
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
