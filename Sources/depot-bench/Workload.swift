/// The cluster the benchmark builds, and the exact JSON python-linstor sends to build it.
struct Workload: Sendable {
    /// The kinds of object created, in the order they must be created.
    enum Kind: String, Sendable {
        case nodes = "nodes"
        case storagePools = "storage pools"
        case resourceDefinitions = "resource definitions"
        case volumeDefinitions = "volume definitions"
        case resources = "resources"
    }

    /// One kind's requests: request `index` for every index below `requests`.
    struct Phase: Sendable {
        let kind: Workload.Kind
        let requests: Int
        /// Objects each request creates: one, except resources, which are placed `replicas` at a time.
        let objectsPerRequest: Int
        let request: @Sendable (Int) -> HTTPRequest
    }

    /// The full resource list whose latency the issue targets.
    static let resourceListPath = "/v1/view/resources"

    /// DRBD ports 7000–7999: no node can hold more DRBD resources.
    static let drbdResourcesPerNode = 1000

    let nodes: Int
    let definitions: Int
    let replicas: Int

    var resources: Int { self.definitions * self.replicas }

    func nodeName(_ index: Int) -> String {
        "node-" + Self.padded(index + 1, width: max(3, String(self.nodes).count))
    }

    func definitionName(_ index: Int) -> String {
        "rsc-" + Self.padded(index + 1, width: max(5, String(self.definitions).count))
    }

    /// The nodes of definition `index`'s replicas: round-robin, so every node holds the same share
    /// and the replicas of one definition are on distinct nodes.
    func placement(_ index: Int) -> [Int] {
        (0..<self.replicas).map { (index * self.replicas + $0) % self.nodes }
    }

    /// How many resources land on node `index`, to check filtered lists.
    func resourceCount(onNode index: Int) -> Int {
        (0..<self.resources).count { $0 % self.nodes == index }
    }

    var phases: [Phase] {
        [
            Phase(kind: .nodes, requests: self.nodes, objectsPerRequest: 1) { index in
                .post(
                    "/v1/nodes",
                    json:
                        #"{"name":"\#(self.nodeName(index))","type":"Satellite","net_interfaces":[{"name":"default","address":"127.0.0.1","satellite_port":3366,"satellite_encryption_type":"Plain"}]}"#
                )
            },
            Phase(kind: .storagePools, requests: self.nodes, objectsPerRequest: 1) { index in
                .post(
                    "/v1/nodes/\(self.nodeName(index))/storage-pools",
                    json: #"{"storage_pool_name":"thinpool","provider_kind":"LVM_THIN","props":{"StorDriver/StorPoolName":"vg/thin"}}"#)
            },
            Phase(kind: .resourceDefinitions, requests: self.definitions, objectsPerRequest: 1) { index in
                .post(
                    "/v1/resource-definitions",
                    json: #"{"resource_definition":{"name":"\#(self.definitionName(index))","layer_data":[{"type":"DRBD"},{"type":"STORAGE"}]}}"#)
            },
            Phase(kind: .volumeDefinitions, requests: self.definitions, objectsPerRequest: 1) { index in
                .post(
                    "/v1/resource-definitions/\(self.definitionName(index))/volume-definitions",
                    json: #"{"volume_definition":{"size_kib":102400}}"#)
            },
            Phase(kind: .resources, requests: self.definitions, objectsPerRequest: self.replicas) { index in
                let entries = self.placement(index).map { node in
                    #"{"resource":{"node_name":"\#(self.nodeName(node))","props":{"StorPoolName":"thinpool"}}}"#
                }
                return .post(
                    "/v1/resource-definitions/\(self.definitionName(index))/resources",
                    json: "[" + entries.joined(separator: ",") + "]")
            },
        ]
    }

    private static func padded(_ number: Int, width: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
