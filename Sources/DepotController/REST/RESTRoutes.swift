import DepotModel
import DepotReports
import DepotWire
import Foundation
import HTTPTypes
import Hummingbird
import Prometheus

/// LINSTOR's REST API v1 on Hummingbird: reads come from the latest snapshot, writes go through
/// the ``ClusterState`` actor.
struct RESTRoutes: Sendable {
    let state: ClusterState
    let version: ControllerVersionDTO
    /// The controller's log level, for `controller set-log-level`.
    let logLevel: RuntimeLogLevel
    /// Where SOS report archives are written (`sos-reports` in the data directory).
    var sosReportDirectory: String
    /// Where database exports and backups are written: the data directory.
    var databaseDirectory: String
    /// The controller's own metrics (REST latency, satellite applies), appended to `/metrics`.
    var metrics: PrometheusCollectorRegistry?

    typealias Operation = @Sendable (inout ClusterTransaction) throws(DepotError) -> [Reply]
    typealias Context = RESTRequestContext

    var snapshot: ClusterSnapshot { self.state.publisher.snapshot }

    func register(on router: Router<Context>) {
        self.registerController(on: router)
        self.registerNodes(on: router)
        self.registerStoragePools(on: router)
        self.registerResourceDefinitions(on: router)
        self.registerResources(on: router)
        self.registerToggleDisk(on: router)
        self.registerConnections(on: router)
        self.registerResourceGroups(on: router)
        self.registerKeyValueStores(on: router)
        self.registerSnapshots(on: router)
        self.registerEncryption(on: router)
        self.registerAuth(on: router)
        self.registerPropertiesInfo(on: router)
        self.registerErrorReports(on: router)
        self.registerEvents(on: router)
        self.registerStats(on: router)
        self.registerLogLevel(on: router)
        self.registerSosReport(on: router)
        self.registerPhysicalStorage(on: router)
        self.registerDatabase(on: router)
        self.registerMetrics(on: router, metrics: self.metrics)
        self.registerNotImplemented(on: router)
    }

    /// Runs a mutation and answers with its ApiCallRc list.
    func run(_ context: CallContext, success: HTTPResponse.Status = .ok, _ operation: @escaping Operation) async -> Response {
        APIResponse.replies(await self.state.mutate(context, operation), successStatus: success)
    }

    /// Decodes the body, then runs the mutation built from it.
    func run<Body: Decodable & Sendable>(
        _ request: Request,
        _ type: Body.Type,
        _ context: CallContext,
        success: HTTPResponse.Status = .ok,
        _ operation: @escaping @Sendable (Body, inout ClusterTransaction) throws(DepotError) -> [Reply]
    ) async -> Response {
        var request = request
        let body: Body
        do {
            body = try await request.decodeBody(type)
        } catch {
            return error.response
        }
        return await self.run(context, success: success) { (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
            try operation(body, &transaction)
        }
    }

    /// As ``run(_:_:_:success:_:)`` for a body that may be missing.
    func run<Body: Decodable & Sendable>(
        _ request: Request,
        optional type: Body.Type,
        _ context: CallContext,
        success: HTTPResponse.Status = .ok,
        _ operation: @escaping @Sendable (Body?, inout ClusterTransaction) throws(DepotError) -> [Reply]
    ) async -> Response {
        var request = request
        let body: Body?
        do {
            body = try await request.decodeBodyIfPresent(type)
        } catch {
            return error.response
        }
        return await self.run(context, success: success) { (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
            try operation(body, &transaction)
        }
    }

    func parameter(_ context: Context, _ name: String) -> String {
        context.parameters.get(name).map { $0.removingPercentEncoding ?? $0 } ?? ""
    }

    func volumeNumber(_ context: Context) -> Int? {
        context.parameters.get("volume").flatMap { Int($0) }
    }
}

/// Query filters shared by LINSTOR's list calls: repeated `nodes`, `resources`, `storage_pools`,
/// `props` (`key` or `key=value`), and `limit`/`offset`.
struct ListQuery {
    let nodes: Set<ObjectKey>
    let resources: Set<ObjectKey>
    let storagePools: Set<ObjectKey>
    let props: [String]
    let limit: Int
    let offset: Int

    init(_ request: Request) {
        let query = request.uri.queryParameters
        func keys(_ name: String) -> Set<ObjectKey> {
            Set(query.getAll(name).flatMap { $0.split(separator: ",") }.map { ObjectKey(String($0)) })
        }
        self.nodes = keys("nodes")
        self.resources = keys("resources").union(keys("resource_definitions"))
        self.storagePools = keys("storage_pools")
        self.props = query.getAll("props").map { String($0) }
        self.limit = query.get("limit").flatMap { Int($0) } ?? 0
        self.offset = query.get("offset").flatMap { Int($0) } ?? 0
    }

    func matches(props: [String: String]) -> Bool {
        self.props.allSatisfy { filter in
            if let separator = filter.firstIndex(of: "=") {
                return props[String(filter[..<separator])] == String(filter[filter.index(after: separator)...])
            }
            return props[filter] != nil
        }
    }

    func page<C: Collection>(_ items: C) -> [C.Element] {
        let rest = items.dropFirst(max(0, self.offset))
        return self.limit > 0 ? Array(rest.prefix(self.limit)) : Array(rest)
    }
}
