import DepotModel
import DepotReports
import DepotStore
import DepotWire
import Foundation
import HashTreeCollections
import Hummingbird

extension RESTRoutes {
    /// LINSTOR's SOS report: `GET /v1/sos-report` makes one on the controller and names it,
    /// `GET /v1/sos-report/download` makes one and sends it. Query: `nodes`, `rscs`, `exclude`,
    /// `since` (milliseconds) and `include-ctrl` (default true).
    func registerSosReport(on router: Router<Context>) {
        router.get("/v1/sos-report") { request, _ in
            do throws(SosReportError) {
                let path = try await self.makeSosReport(SosRequest(request))
                return APIResponse.replies(
                    [Reply(.created, "SOS Report created on Controller: \(path)", objectReferences: ["path": path])], successStatus: .created)
            } catch {
                return APIResponse.replies([error.reply])
            }
        }
        router.get("/v1/sos-report/download") { request, _ in
            do {
                let path = try await self.makeSosReport(SosRequest(request))
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                var headers = HTTPFields()
                headers[.contentType] = "application/octet-stream"
                headers[.contentDisposition] = "attachment; filename = " + (path as NSString).lastPathComponent
                return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
            } catch let error as SosReportError {
                return APIResponse.replies([error.reply])
            } catch {
                return APIResponse.replies([SosReportError(reason: "\(error)").reply])
            }
        }
    }

    /// The database as `export-db` writes it, without the sealed master key and the token hashes:
    /// an SOS report leaves the site, and those are not needed to understand a cluster.
    private func redactedDatabaseExport() async -> String {
        do {
            var export = try await self.state.databaseExport()
            export.cluster.set([], of: MasterKeyRecord.self)
            export.cluster.set([], of: AuthToken.self)
            return String(decoding: try export.encoded(), as: UTF8.self)
        } catch {
            return "The database could not be exported: \(error)\n"
        }
    }

    /// Collects the controller's and the nodes' files into ``sosReportDirectory``/`sos_<time>.tar.gz`.
    private func makeSosReport(_ request: SosRequest) async throws(SosReportError) -> String {
        let snapshot = self.snapshot
        let model = snapshot.model
        var files: [String: String] = [:]
        if request.includeController {
            files["controller/version.json"] = Self.text(self.version)
            files["controller/nodes.json"] = Self.text(model.nodes.values.sorted { $0.key < $1.key }.map(self.nodeDTO))
            files["controller/storage-pools.json"] = Self.text(model.storagePools.values.sorted { $0.key < $1.key }.map(self.storagePoolDTO))
            files["controller/resource-definitions.json"] = Self.joined(snapshot.order.definitionKeys.compactMap(snapshot.definitionFragment))
            files["controller/resources.json"] = Self.joined(snapshot.order.resourceKeys.compactMap(snapshot.resourceFragment))
            files["controller/properties.json"] = Self.text(model.controllerProps)
            files["controller/database-export.json"] = await self.redactedDatabaseExport()
            let journalSince = request.since.map { "@\($0 / 1000)" } ?? "-7d"
            files["controller/journalctl-depot-controller"] = SosArchive.output(of: ["journalctl", "-u", "depot-controller", "--since", journalSince, "--no-pager"])
            for report in self.state.errorReports.list(ErrorReportFilter(since: request.since), withContent: true).reports {
                files["controller/error-reports/" + (report.filename ?? report.id)] = report.text ?? ""
            }
        }
        let wanted = Set(request.nodes.map { $0.lowercased() })
        let excluded = Set(request.exclude.map { $0.lowercased() })
        let rscNodes = Set(model.resources.keys.filter { key in request.resources.contains { ObjectKey($0) == key.resource } }.map(\.node))
        let nodes = model.nodes.values.filter { node in
            node.type.runsSatellite && (wanted.isEmpty || wanted.contains(node.name.lowercased())) && !excluded.contains(node.name.lowercased())
                && (request.resources.isEmpty || rscNodes.contains(node.key))
        }.sorted { $0.key < $1.key }
        let satellites = self.state.satellites
        let answers = await withTaskGroup(of: (String, SatelliteAnswer?).self) { group in
            for node in nodes {
                group.addTask {
                    let answer = await satellites.ask(node.key, within: Self.sosAnswerLimit) { id in
                        SatelliteQuery(requestID: id, action: .sosReport, filter: ErrorReportFilter(since: request.since))
                    }
                    return (node.name, answer)
                }
            }
            var answers: [(String, SatelliteAnswer?)] = []
            for await answer in group { answers.append(answer) }
            return answers
        }
        for (node, answer) in answers {
            guard let answer, let nodeFiles = answer.files else {
                files["\(node)/NOT-COLLECTED"] = "The satellite of '\(node)' is not connected or did not answer within \(Self.sosAnswerLimit).\n"
                continue
            }
            for (name, text) in nodeFiles { files["\(node)/\(name)"] = text }
        }
        return try SosArchive.write(files, into: self.sosReportDirectory)
    }

    static let sosAnswerLimit: Duration = .seconds(60)

    private static func text<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    private static func joined(_ fragments: [Data]) -> String {
        "[" + fragments.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ",\n") + "]\n"
    }
}

/// What `GET /v1/sos-report[/download]` asks for.
struct SosRequest: Sendable {
    var nodes: [String]
    var resources: [String]
    var exclude: [String]
    var since: Int64?
    var includeController: Bool

    init(_ request: Request) throws(SosReportError) {
        let query = request.uri.queryParameters
        func list(_ name: String) -> [String] { query.getAll(name).flatMap { $0.split(separator: ",").map(String.init) } }
        self.nodes = list("nodes")
        self.resources = list("rscs")
        self.exclude = list("exclude")
        if let text = query.get("since") {
            guard let since = Int64(text) else { throw SosReportError(reason: "'since' is '\(text)', not milliseconds since 1970.") }
            self.since = since
        }
        self.includeController = query.get("include-ctrl").map { $0.lowercased() != "false" } ?? true
    }
}

/// Why no SOS report could be made.
struct SosReportError: Error {
    let reason: String

    var reply: Reply {
        Reply(.failUnknownError, "The SOS report could not be created: \(self.reason)", correction: "Check the controller's data directory (disk space, permissions).")
    }
}
