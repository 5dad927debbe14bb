import DepotLink
import DepotModel
import DepotWire
import HashTreeCollections
import Logging
import ServiceLifecycle

/// The controller's connections to its satellites: one supervised link per satellite node.
///
/// Each link dials the node's active interface and runs a ``SatelliteSession`` on it. A link that
/// fails is retried with backoff; the node shows OFFLINE (or why the satellite refused) meanwhile.
/// What the links learn goes into ``SatelliteLinkTable``, which the cluster state reads.
struct SatelliteLinks: Service {
    let table: SatelliteLinkTable
    let publisher: SnapshotPublisher
    let logger: Logger
    /// The controller's identity for nodes whose interface is SSL; `nil` when none is configured.
    let tls: LinkTLS?

    /// Every report as it arrives, for the cluster state to show in resource lists.
    let reports: AsyncStream<ReceivedReport>
    private let reportSink: AsyncStream<ReceivedReport>.Continuation

    /// One satellite report and the node it came from; no report: the node's link went down, and
    /// what it reported before no longer holds.
    struct ReceivedReport: Sendable {
        let node: ObjectKey
        let report: NodeReport?
    }

    /// The lease's fencing token when controllers share a database: satellites obey only the highest.
    let fencingToken: Int64?

    init(table: SatelliteLinkTable, publisher: SnapshotPublisher, logger: Logger, tls: LinkTLS? = nil, fencingToken: Int64? = nil) {
        self.fencingToken = fencingToken
        self.table = table
        self.publisher = publisher
        self.logger = logger
        self.tls = tls
        (self.reports, self.reportSink) = AsyncStream.makeStream(of: ReceivedReport.self, bufferingPolicy: .bufferingNewest(4096))
    }

    /// Starts a link for every satellite node and restarts it when the node's endpoint changes.
    func run() async throws {
        // Links hold no state worth finishing: on shutdown they are simply cancelled.
        try await cancelWhenGracefulShutdown {
            await self.superviseLinks()
        }
    }

    private func superviseLinks() async {
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                let snapshot = self.publisher.snapshot
                for node in snapshot.model.nodes.values {
                    guard let endpoint = SatelliteEndpoint(node) else { continue }
                    if self.table.start(node.key, at: endpoint) {
                        group.addTask { await self.maintain(node.key, endpoint) }
                    }
                }
                await self.publisher.waitForChange(after: snapshot.version)
            }
            group.cancelAll()
        }
    }

    /// Keeps one node's link up until the node goes away or its endpoint changes.
    private func maintain(_ node: ObjectKey, _ endpoint: SatelliteEndpoint) async {
        var backoff: Duration = .milliseconds(500)
        while !Task.isCancelled, self.isCurrent(node, endpoint) {
            do {
                let session = SatelliteSession(
                    node: node, endpoint: endpoint, table: self.table, publisher: self.publisher, reports: self.reportSink, logger: self.logger,
                    fencingToken: self.fencingToken)
                try await session.run(on: try await self.connect(endpoint))
                backoff = .milliseconds(500)
            } catch {
                let end = self.table.update(node, at: endpoint) { $0.sessionEnded(error) } ?? SatelliteLinkStateMachine.SessionEnd()
                self.log(end, of: node, at: endpoint, error)
                self.reportSink.yield(ReceivedReport(node: node, report: nil))
            }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(10))
        }
        self.table.remove(node, at: endpoint) { !self.isCurrent(node, endpoint) }
    }

    private func log(_ end: SatelliteLinkStateMachine.SessionEnd, of node: ObjectKey, at endpoint: SatelliteEndpoint, _ error: any Error) {
        // TLS failures other than a distrusted certificate (no TLS settings, a peer without TLS) leave
        // the node OFFLINE but need the operator: logged as warnings once per distinct reason.
        if let problem = end.tlsProblem {
            self.logger.warning("satellite link cannot use TLS", metadata: ["node": "\(node)", "endpoint": "\(endpoint)", "reason": "\(problem)"])
        }
        if let status = end.refusedStatus {
            self.logger.warning("satellite refused", metadata: ["node": "\(node)", "status": "\(status.rawValue)", "reason": "\(error)"])
        }
        if end.wasOnline {
            // Every drop of a working link is logged with its reason; retries of a link that is down
            // stay at debug level.
            self.logger.warning("satellite link dropped", metadata: ["node": "\(node)", "endpoint": "\(endpoint)", "reason": "\(error)"])
        } else {
            self.logger.debug("satellite link down", metadata: ["node": "\(node)", "endpoint": "\(endpoint)", "error": "\(error)"])
        }
    }

    private func isCurrent(_ node: ObjectKey, _ endpoint: SatelliteEndpoint) -> Bool {
        self.publisher.snapshot.model.nodes[node].flatMap(SatelliteEndpoint.init) == endpoint
    }

    /// Dials the satellite as its interface says: plain TCP, or mutual TLS for `SSL`.
    ///
    /// An SSL node without controller TLS settings fails here with an error naming the missing
    /// settings, instead of falling back to plain TCP, which the satellite's TLS port would refuse.
    private func connect(_ endpoint: SatelliteEndpoint) async throws -> LinkChannel {
        switch endpoint.encryption {
        case .plain:
            return try await Link.connect(host: endpoint.host, port: endpoint.port)
        case .ssl:
            guard let tls = self.tls else {
                throw LinkTLSError(
                    .notConfigured,
                    "The node's interface \(endpoint) uses encryption type SSL, but the controller has no TLS settings: "
                        + "start it with --satellite-tls-certificate, --satellite-tls-key and --satellite-tls-ca "
                        + "(or satellite_tls_* in its TOML file), or set the interface's encryption type to PLAIN.")
            }
            return try await Link.connect(host: endpoint.host, port: endpoint.port, tls: tls)
        }
    }
}
