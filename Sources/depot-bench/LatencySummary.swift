/// Percentiles of a set of request latencies, in milliseconds.
struct LatencySummary: Codable, Sendable {
    let samples: Int
    let p50Ms: Double
    let p99Ms: Double
    let maxMs: Double
    let meanMs: Double

    /// Nearest-rank percentiles: with 50 samples p99 is the slowest one, never an interpolation
    /// below every sample actually seen.
    init(_ durations: [Duration]) {
        let sorted = durations.map(\.milliseconds).sorted()
        func percentile(_ fraction: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let rank = Int((fraction * Double(sorted.count)).rounded(.up))
            return sorted[min(max(rank, 1), sorted.count) - 1]
        }
        self.samples = sorted.count
        self.p50Ms = percentile(0.50)
        self.p99Ms = percentile(0.99)
        self.maxMs = sorted.last ?? 0
        self.meanMs = sorted.isEmpty ? 0 : sorted.reduce(0, +) / Double(sorted.count)
    }
}

extension Duration {
    var milliseconds: Double {
        Double(self.components.seconds) * 1000 + Double(self.components.attoseconds) / 1e15
    }
}
