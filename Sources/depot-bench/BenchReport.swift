/// Everything one run measured; printed as text or, with `--json`, encoded as is (snake_case keys).
struct BenchReport: Codable, Sendable {
    struct Setup: Codable, Sendable {
        let nodes: Int
        let definitions: Int
        let replicas: Int
        let resources: Int
        let clients: Int
        let controller: String
        let listWarmups: Int
        let listSamples: Int
    }

    /// Creation of one kind of object (or of all of them, `kind` "all").
    struct Creation: Codable, Sendable {
        let kind: String
        let requests: Int
        let objects: Int
        let seconds: Double
        let requestsPerSecond: Double
        let objectsPerSecond: Double
        let latency: LatencySummary
    }

    /// The full resource list read while resources were being created.
    struct ConcurrentLists: Codable, Sendable {
        let latency: LatencySummary
        let largestBytes: Int
    }

    struct ColdStart: Codable, Sendable {
        let shutdownMs: Double
        let shutdownStatus: String
        let execToHealthMs: Double
        let execToFirstFullListMs: Double
        let resourcesListed: Int
    }

    /// On PostgreSQL: from SIGKILL of the active controller to the standby's `/health` 200.
    struct Takeover: Codable, Sendable {
        let leaseSeconds: Int
        let killToHealthMs: Double
        let resourcesListed: Int
    }

    struct Memory: Codable, Sendable {
        let idle: MemoryUsage
        let loaded: MemoryUsage
        let afterRestart: MemoryUsage
        let afterRestartFirstList: MemoryUsage
    }

    /// One of the targets, reported beside the figure it concerns; never asserted.
    struct Target: Codable, Sendable {
        let name: String
        let limit: Double
        let measured: Double
        let unit: String
        let met: Bool

        init(name: String, limit: Double, measured: Double, unit: String) {
            self.name = name
            self.limit = limit
            self.measured = measured
            self.unit = unit
            self.met = measured < limit
        }
    }

    let setup: Setup
    let freshStartMs: Double
    let creations: [Creation]
    let creationTotal: Creation
    let listsWhileCreating: ConcurrentLists
    let lists: [ListLatency]
    let coldStart: ColdStart
    /// Measured on PostgreSQL only.
    let takeover: Takeover?
    let memory: Memory

    let targets: [Target]

    init(
        setup: Setup, freshStartMs: Double, creations: [Creation], creationTotal: Creation,
        listsWhileCreating: ConcurrentLists, lists: [ListLatency], coldStart: ColdStart, takeover: Takeover?, memory: Memory
    ) {
        self.setup = setup
        self.freshStartMs = freshStartMs
        self.creations = creations
        self.creationTotal = creationTotal
        self.listsWhileCreating = listsWhileCreating
        self.lists = lists
        self.coldStart = coldStart
        self.takeover = takeover
        self.memory = memory
        // The targets: view-resources p99 < 150 ms at 30,000 resources, cold start < 1 s,
        // RSS < 150 MiB loaded and < 30 MiB idle.
        self.targets = [
            Target(name: "GET /v1/view/resources p99", limit: 150, measured: lists.first { $0.path == Workload.resourceListPath }?.latency.p99Ms ?? 0, unit: "ms"),
            Target(name: "cold start (exec to /health 200)", limit: 1000, measured: coldStart.execToHealthMs, unit: "ms"),
            Target(name: "RSS loaded", limit: 150, measured: Double(memory.loaded.rssKib) / 1024, unit: "MiB"),
            Target(name: "RSS idle", limit: 30, measured: Double(memory.idle.rssKib) / 1024, unit: "MiB"),
        ]
    }
}

/// One list call's sequential latency.
struct ListLatency: Codable, Sendable {
    let path: String
    let items: Int
    let bytes: Int
    let latency: LatencySummary
}
