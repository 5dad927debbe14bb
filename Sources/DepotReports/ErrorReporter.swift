public import DepotWire
import Foundation
public import Logging
import Synchronization

/// Keeps a daemon's error reports: one text file per unexpected failure, as LINSTOR writes them.
///
/// A report says what failed, where and with which command, so that the reply's
/// `error_report_ids` lead to everything an operator needs, also after the log has rotated. The
/// directory holds at most ``limit`` reports; the oldest go first. Writing a report never fails the
/// caller: a report that cannot be written is kept in memory and the log says why.
public final class ErrorReporter: Sendable {
    /// Which daemon writes the reports (`module` in the REST view).
    public enum Module: String, Sendable {
        case controller = "CONTROLLER"
        case satellite = "SATELLITE"
    }

    public static let defaultLimit = 1000
    /// A report's text is cut here: a runaway stderr must not fill the disk.
    static let maximumTextBytes = 64 * 1024

    public let directory: String
    public let module: Module
    public let limit: Int
    /// The node the reports are about; the controller's host name on the controller.
    public let nodeName: String
    private let version: String
    /// `%08X-%05X` of the start time and the node: every id of this run starts with it.
    private let instanceID: String
    private let logger: Logger
    private let state: Mutex<State>

    private struct State {
        var reports: [String: ErrorReportDTO] = [:]
        /// Texts that could not be written to disk.
        var unwritten: [String: String] = [:]
        var nextSequence = 0
    }

    public init(directory: String, module: Module, nodeName: String, version: String, limit: Int = ErrorReporter.defaultLimit, logger: Logger) {
        self.directory = directory
        self.module = module
        self.limit = max(1, limit)
        self.nodeName = nodeName
        self.version = version
        self.logger = logger
        let start = UInt32(clamping: Int(Date().timeIntervalSince1970))
        let nodeHash = module == .controller ? 0 : Self.hash(nodeName) & 0xFFFFF
        self.instanceID = String(format: "%08X-%05X", start, nodeHash)
        var state = State()
        // The directory is made with the first report.
        for report in Self.readReports(in: directory) { state.reports[report.id] = report }
        // A restart within the same second must not reuse an id.
        let ownPrefix = self.instanceID + "-"
        let used = state.reports.keys.filter { $0.hasPrefix(ownPrefix) }.compactMap { Int($0.dropFirst(ownPrefix.count)) }
        state.nextSequence = (used.max() ?? -1) + 1
        self.state = Mutex(state)
        self.prune()
    }

    /// Writes a report of `incident` and returns its id, for the reply's `error_report_ids`.
    @discardableResult
    public func record(_ incident: Incident) -> String {
        let now = Date()
        let id = self.state.withLock { state in
            defer { state.nextSequence += 1 }
            return self.instanceID + "-" + String(format: "%06d", state.nextSequence)
        }
        let header = ErrorReportText.Header(
            id: id, application: "Depot depot-\(self.module.rawValue.lowercased())", module: self.module.rawValue, version: self.version, time: now,
            node: self.nodeName)
        var text = ErrorReportText.render(header, incident)
        if text.utf8.count > Self.maximumTextBytes {
            text = String(decoding: text.utf8.prefix(Self.maximumTextBytes), as: UTF8.self) + "\n[cut at \(Self.maximumTextBytes) bytes]\n"
        }
        var report = ErrorReportText.parse(text) ?? ErrorReportDTO(id: id, nodeName: self.nodeName, errorTime: 0, module: self.module.rawValue, version: self.version)
        report.text = nil
        var written = true
        do {
            try FileManager.default.createDirectory(atPath: self.directory, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: self.path(of: id)), options: .atomic)
        } catch {
            written = false
            self.logger.error("error report not written to disk", metadata: ["report": "\(id)", "error": "\(error)"])
        }
        self.state.withLock { state in
            state.reports[id] = report
            if !written { state.unwritten[id] = text }
        }
        self.logger.error(
            "\(incident.kind): \(incident.message)", metadata: ["error-report": "\(id)", "hint": "depot error-reports show \(id)"])
        self.prune()
        return id
    }

    /// The reports `filter` matches, oldest first; with `limit`, the newest `limit` of them.
    ///
    /// - Returns: the reports and how many matched before the limit.
    public func list(_ filter: ErrorReportFilter, withContent: Bool, limit: Int? = nil) -> (reports: [ErrorReportDTO], total: Int) {
        let (matching, unwritten) = self.state.withLock { state in
            (state.reports.values.filter(filter.matches).sorted(by: Self.isOlder), state.unwritten)
        }
        var shown = limit.map { Array(matching.suffix(max(0, $0))) } ?? matching
        if withContent {
            for index in shown.indices {
                let id = shown[index].id
                shown[index].text = unwritten[id] ?? (try? String(contentsOfFile: self.path(of: id), encoding: .utf8))
            }
        }
        return (shown, matching.count)
    }

    /// Deletes the reports `filter` matches; an empty filter deletes nothing, as in LINSTOR.
    ///
    /// - Returns: the ids deleted.
    public func delete(_ filter: ErrorReportFilter) -> [String] {
        guard !filter.isEmpty else { return [] }
        let doomed = self.state.withLock { state in
            let ids = state.reports.values.filter(filter.matches).map(\.id).sorted()
            for id in ids {
                state.reports[id] = nil
                state.unwritten[id] = nil
            }
            return ids
        }
        for id in doomed { try? FileManager.default.removeItem(atPath: self.path(of: id)) }
        return doomed
    }

    public var count: Int { self.state.withLock { $0.reports.count } }

    private func path(of id: String) -> String { self.directory + "/" + ErrorReportDTO.filename(of: id) }

    /// Drops the oldest reports beyond ``limit``.
    private func prune() {
        let doomed = self.state.withLock { state in
            guard state.reports.count > self.limit else { return [String]() }
            let ids = state.reports.values.sorted(by: Self.isOlder).prefix(state.reports.count - self.limit).map(\.id)
            for id in ids {
                state.reports[id] = nil
                state.unwritten[id] = nil
            }
            return ids
        }
        for id in doomed { try? FileManager.default.removeItem(atPath: self.path(of: id)) }
    }

    private static func isOlder(_ left: ErrorReportDTO, _ right: ErrorReportDTO) -> Bool {
        (left.errorTime, left.id) < (right.errorTime, right.id)
    }

    /// The reports already in `directory`, read from their headers.
    private static func readReports(in directory: String) -> [ErrorReportDTO] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasPrefix("ErrorReport-") && $0.hasSuffix(".log") }.compactMap { name in
            guard let handle = FileHandle(forReadingAtPath: directory + "/" + name) else { return nil }
            defer { try? handle.close() }
            // The fields a list shows are in the first lines.
            guard let head = try? handle.read(upToCount: 4096) else { return nil }
            guard var report = ErrorReportText.parse(String(decoding: head, as: UTF8.self)) else { return nil }
            report.filename = name
            return report
        }
    }

    /// FNV-1a: a stable number for a node name, for the node part of report ids.
    static func hash(_ text: String) -> UInt32 {
        text.utf8.reduce(UInt32(2_166_136_261)) { ($0 ^ UInt32($1)) &* 16_777_619 }
    }
}
