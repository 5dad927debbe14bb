import DepotModel
import Foundation

/// The autoplacer's speed: many placements over one cluster of nodes with thin pools, each
/// placement taking space so that the next one sees a changed cluster, as a platform spawning
/// volumes one after another would. In-process: the placer is a pure function of its input.
struct PlacementBenchmark {
    let nodes: Int
    let replicas: Int
    let placements: Int

    /// Time per placement and in total; every placement must succeed.
    struct Result: Codable, Sendable {
        let nodes: Int
        let replicas: Int
        let placements: Int
        let seconds: Double
        let perPlacementMicroseconds: Double
        let latency: LatencySummary
        let distinctNodesUsed: Int
    }

    func run() throws -> Result {
        var cluster = (0..<self.nodes).map { index in
            PlacementNode(
                name: "node" + String(String(index + 100_000).dropFirst()), props: ["Aux/site": "site\(index % 4)"],
                layers: ["DRBD", "STORAGE"], providers: ["LVM_THIN", "DISKLESS"],
                pools: [
                    PlacementPool(name: "thinpool", kind: .lvmThin, freeKiB: 1 << 30 - Int64(index) * 4096, totalKiB: 1 << 30),
                    PlacementPool(name: DefaultStoragePool.diskless, kind: .diskless),
                ])
        }
        var index: [String: Int] = [:]
        for (position, node) in cluster.enumerated() { index[node.name] = position }
        var filter = AutoSelectFilter()
        filter.placeCount = self.replicas
        filter.storagePoolList = ["thinpool"]
        let size: Int64 = 10 << 20
        var durations: [Duration] = []
        durations.reserveCapacity(self.placements)
        var used: Set<String> = []
        let clock = ContinuousClock()
        let start = clock.now
        for number in 0..<self.placements {
            let request = PlacementRequest(resourceName: "volume\(number)", sizeKiB: size, filter: filter, layers: [.drbd, .storage])
            let began = clock.now
            let outcome = Autoplacer.place(request, nodes: cluster)
            durations.append(clock.now - began)
            guard outcome.chosen.count == self.replicas else {
                throw BenchError.wrongAnswer("placement \(number) found only \(outcome.chosen.count) of \(self.replicas) nodes")
            }
            // The chosen pools now hold the new volume.
            for candidate in outcome.chosen {
                guard let position = index[candidate.nodeName] else { continue }
                cluster[position].pools[0].freeKiB = (cluster[position].pools[0].freeKiB ?? 0) - size / 8
                cluster[position].pools[0].reservedKiB += size
                cluster[position].pools[0].resourceCount += 1
                used.insert(candidate.nodeName)
            }
        }
        let seconds = (clock.now - start).milliseconds / 1000
        return Result(
            nodes: self.nodes, replicas: self.replicas, placements: self.placements, seconds: seconds,
            perPlacementMicroseconds: seconds * 1_000_000 / Double(max(1, self.placements)), latency: LatencySummary(durations),
            distinctNodesUsed: used.count)
    }

    static func text(_ result: Result) -> [String] {
        [
            "Placement (in-process autoplacer, \(result.placements) placements of \(result.replicas) replicas over \(result.nodes) nodes, thin pools filling up)",
            "  total \(String(format: "%.2f", result.seconds)) s, \(String(format: "%.1f", result.perPlacementMicroseconds)) µs per placement"
                + " (p50 \(Format.ms(result.latency.p50Ms)) ms, p99 \(Format.ms(result.latency.p99Ms)) ms), \(result.distinctNodesUsed) nodes used",
        ]
    }
}
