import DepotModel
import DepotWire
import Foundation
import HashTreeCollections
import Hummingbird
import Prometheus
import Synchronization

extension RESTRoutes {
    /// `GET /metrics`: LINSTOR's cluster metrics, by LINSTOR's names and labels, then the
    /// controller's own (REST latency per route, satellite applies) from ``metrics``.
    ///
    /// `resource=false`, `storage_pools=false` and `error_reports=false` leave those parts out,
    /// as in LINSTOR.
    func registerMetrics(on router: Router<Context>, metrics: PrometheusCollectorRegistry?) {
        let scrapes = Atomic<Int>(0)
        router.get("/metrics") { request, _ in
            let started = ContinuousClock.now
            let count = scrapes.add(1, ordering: .relaxed).newValue
            let query = request.uri.queryParameters
            func wanted(_ name: String) -> Bool { query.get(name).map { $0.lowercased() != "false" } ?? true }
            var exposition = PrometheusExposition(help: Self.help)
            self.exportCluster(into: &exposition, resources: wanted("resource"), storagePools: wanted("storage_pools"))
            if wanted("error_reports") {
                let (reports, _) = await ErrorReportCollection(controller: self.state.errorReports, satellites: self.state.satellites, model: self.snapshot.model)
                    .list(nodes: [], filter: ErrorReportFilter(), withContent: false, limit: nil)
                var counts: [String: [String: Int]] = [:]
                for report in reports { counts[report.nodeName ?? "", default: [:]][report.module ?? "", default: 0] += 1 }
                for (host, modules) in counts {
                    for (module, count) in modules {
                        exposition.gauge("linstor_error_reports_count", labels: [("hostname", host), ("module", module)], Double(count))
                    }
                }
            }
            exposition.gauge("linstor_scrape_requests_count", Double(count))
            exposition.gauge("linstor_scrape_duration_seconds", (ContinuousClock.now - started) / .seconds(1))
            var text = exposition.bytes
            metrics?.emit(into: &text)
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: text)))
        }
    }

    /// LINSTOR's `PrometheusBuilder` gauges from the published snapshot.
    private func exportCluster(into exposition: inout PrometheusExposition, resources: Bool, storagePools: Bool) {
        let snapshot = self.snapshot
        let model = snapshot.model
        exposition.gauge("linstor_info", labels: [("version", DepotController.version), ("buildtime", DepotController.buildTime() ?? ""), ("gitid", "depot")], 1)
        for node in model.nodes.values {
            let status = self.state.satellites.status(of: node.key)
            // Every sample of a family has the same label names; a node without a satellite has them empty.
            let interface = node.activeSatelliteInterface.flatMap(node.netInterface(named:))
            let labels = [
                ("address", interface?.address ?? ""), ("encryption", interface.map { $0.encryptionType?.rawValue ?? "PLAIN" } ?? ""),
                ("port", interface?.satellitePort.map(String.init) ?? ""), ("node", node.name), ("nodetype", node.type.rawValue),
            ]
            exposition.gauge("linstor_node_state", labels: labels, Double(Self.nodeStateValue(status)))
        }
        exposition.gauge("linstor_resource_definition_count", Double(model.resourceDefinitions.count))
        var replicasPerDefinition: [ObjectKey: Int] = [:]
        for key in model.resources.keys { replicasPerDefinition[key.resource, default: 0] += 1 }
        for definition in model.resourceDefinitions.values {
            let labels = [("name", definition.name), ("resource_group", definition.resourceGroupName)]
            if resources {
                exposition.gauge("linstor_resource_definition_resource_count", labels: labels, Double(replicasPerDefinition[definition.key] ?? 0))
            }
            for (number, volume) in definition.volumeDefinitions {
                exposition.gauge(
                    "linstor_volume_definition_size_bytes",
                    labels: [("name", definition.name), ("volume_number", String(number)), ("resource_group", definition.resourceGroupName)], Double(volume.sizeKiB) * 1024)
            }
        }
        if resources { self.exportResources(snapshot, into: &exposition) }
        if storagePools {
            for pool in model.storagePools.values {
                let dto = self.storagePoolDTO(pool)
                let labels = [
                    ("storage_pool", dto.storagePoolName), ("node", dto.nodeName ?? ""), ("driver", dto.providerKind),
                    ("backing_pool", pool.props["StorDriver/StorPoolName"] ?? ""),
                ]
                let diskless = dto.providerKind == "DISKLESS"
                exposition.gauge("linstor_storage_pool_capacity_free_bytes", labels: labels, diskless ? 0 : dto.freeCapacity.map { Double($0) * 1024 } ?? .nan)
                exposition.gauge("linstor_storage_pool_capacity_total_bytes", labels: labels, diskless ? 0 : dto.totalCapacity.map { Double($0) * 1024 } ?? .nan)
                exposition.gauge("linstor_storage_pool_error_count", labels: labels, Double(dto.reports?.filter { ReturnCode(rawValue: $0.retCode).isError }.count ?? 0))
            }
        }
    }

    /// Replica and volume gauges from the cached list entries, which carry the satellites' state.
    private func exportResources(_ snapshot: ClusterSnapshot, into exposition: inout PrometheusExposition) {
        let decoder = JSONDecoder()
        for key in snapshot.order.resourceKeys {
            guard let json = snapshot.resourceFragment(key), let entry = try? decoder.decode(MetricsResourceEntry.self, from: json),
                let name = entry.name, let node = entry.nodeName
            else { continue }
            let inUse = entry.state?.inUse.map { $0 ? 1 : 0 } ?? -1
            exposition.gauge("linstor_resource_state", labels: [("name", name), ("node", node)], Double(inUse))
            let drbdDiskless = entry.flags?.contains("DRBD_DISKLESS") ?? false
            for volume in entry.volumes ?? [] {
                let labels = [
                    ("resource", name), ("node", node), ("volume", String(volume.volumeNumber ?? 0)), ("device_path", volume.devicePath ?? ""),
                    ("storage_pool", volume.storagePoolName ?? "_unknown"),
                ]
                var disk = volume.state?.diskState
                if disk == "Diskless", !drbdDiskless { disk = "Diskless(Detached)" }
                exposition.gauge("linstor_volume_state", labels: labels, Double(Self.volumeStateValue(disk)))
                exposition.gauge("linstor_volume_allocated_size_bytes", labels: labels, volume.allocatedSizeKiB.map { Double($0) * 1024 } ?? .nan)
            }
        }
    }

    /// LINSTOR's help texts, one per family.
    private static let help: [String: String] = [
        "linstor_info": "Versioning information of the controller",
        "linstor_node_state":
            "0=OFFLINE, 1=CONNECTED, 2=ONLINE, 3=VERSION_MISMATCH, 4=FULL_SYNC_FAILED, 5=AUTHENTICATION_ERROR, 6=UNKNOWN, 7=HOSTNAME_MISMATCH, 8=OTHER_CONTROLLER",
        "linstor_resource_definition_count": "Number of resource definitions",
        "linstor_resource_definition_resource_count": "Number of replicas of the resource definition",
        "linstor_volume_definition_size_bytes": "Usable size of the volume definition",
        "linstor_resource_state": "-1=unknown state, 0=secondary, 1=primary",
        "linstor_volume_state":
            "1=UpToDate, 2=Created, 3=Attached, 4=Diskless, 5=Inconsistent, 6=Failed, 7=To: Creating, 8=To: Attachable, 9=To: Attaching, 90=Diskless(Detached), -1=DUnknown",
        "linstor_volume_allocated_size_bytes": "Storage allocated for the volume",
        "linstor_storage_pool_capacity_free_bytes": "Free storage in the storage pool",
        "linstor_storage_pool_capacity_total_bytes": "Storage managed by the storage pool",
        "linstor_storage_pool_error_count": "Errors the storage pool reports",
        "linstor_error_reports_count": "Error reports per host and module",
        "linstor_scrape_requests_count": "Scrapes of this endpoint since the controller started",
        "linstor_scrape_duration_seconds": "Time this scrape took",
    ]

    /// LINSTOR's numbers for a satellite connection (`Node.proto`'s `ConnectionStatus`).
    static func nodeStateValue(_ status: ConnectionStatus) -> Int {
        switch status {
        case .offline: 0
        case .connected: 1
        case .online: 2
        case .versionMismatch: 3
        case .authenticationError: 5
        case .unknown: 6
        case .duplicateUname: 7
        case .otherController: 8
        }
    }

    /// LINSTOR's numbers for a volume's disk state; -1 for an unknown one.
    static func volumeStateValue(_ disk: String?) -> Int {
        let values = [
            "uptodate": 1, "created": 2, "attached": 3, "diskless": 4, "inconsistent": 5, "failed": 6, "to: creating": 7,
            "to: attachable": 8, "to: attaching": 9, "diskless(detached)": 90,
        ]
        return disk.flatMap { values[$0.lowercased()] } ?? -1
    }
}

/// The fields of a cached resource list entry the gauges need: decoding only these skips the
/// layer objects, which made up most of a scrape's time.
private struct MetricsResourceEntry: Decodable {
    struct State: Decodable {
        let inUse: Bool?

        enum CodingKeys: String, CodingKey {
            case inUse = "in_use"
        }
    }

    struct Volume: Decodable {
        struct State: Decodable {
            let diskState: String?

            enum CodingKeys: String, CodingKey {
                case diskState = "disk_state"
            }
        }

        let volumeNumber: Int?
        let devicePath: String?
        let storagePoolName: String?
        let allocatedSizeKiB: Int64?
        let state: State?

        enum CodingKeys: String, CodingKey {
            case volumeNumber = "volume_number"
            case devicePath = "device_path"
            case storagePoolName = "storage_pool_name"
            case allocatedSizeKiB = "allocated_size_kib"
            case state
        }
    }

    let name: String?
    let nodeName: String?
    let flags: [String]?
    let state: State?
    let volumes: [Volume]?

    enum CodingKeys: String, CodingKey {
        case name
        case nodeName = "node_name"
        case flags, state, volumes
    }
}
