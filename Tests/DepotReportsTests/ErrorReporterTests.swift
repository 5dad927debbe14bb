import DepotReports
import DepotWire
import Foundation
import Logging
import Testing

@Suite struct ErrorReporterTests {
    private func directory() -> String {
        NSTemporaryDirectory() + "depot-reports-\(UUID().uuidString)"
    }

    private func reporter(_ directory: String, module: ErrorReporter.Module = .satellite, limit: Int = 10) -> ErrorReporter {
        ErrorReporter(directory: directory, module: module, nodeName: "vulcan", version: "0.1.0", limit: limit, logger: Logger(label: "test"))
    }

    private func lvcreateFailure() -> Incident {
        Incident(
            kind: "CommandFailed", message: "Could not create volume 'r1' 0 in pool 'thin'",
            context: [.init("Resource", "r1"), .init("Layer", "STORAGE")],
            command: .init(commandLine: "lvcreate -V 1024k -n r1_00000 vg/thin", exitCode: 5, stderrTail: "  Volume group \"vg\" not found\n  Cannot process volume group vg"))
    }

    @Test func aReportIsWrittenAsLINSTORLaysItOut() throws {
        let directory = self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let reporter = self.reporter(directory)
        let id = reporter.record(self.lvcreateFailure())
        // `%08X-%05X-%06d`: start time, node, sequence.
        #expect(id.range(of: #"^[0-9A-F]{8}-[0-9A-F]{5}-000000$"#, options: .regularExpression) != nil)
        let text = try String(contentsOfFile: directory + "/ErrorReport-\(id).log", encoding: .utf8)
        #expect(text.hasPrefix("ERROR REPORT \(id)\n"))
        #expect(text.contains("Module:                             SATELLITE"))
        #expect(text.contains("Command line:                   lvcreate -V 1024k -n r1_00000 vg/thin"))
        #expect(text.contains("Exit code:                      5"))
        #expect(text.contains("        Cannot process volume group vg"))
        #expect(text.contains("    Resource:                       r1"))
        #expect(text.hasSuffix("END OF ERROR REPORT.\n"))

        let listed = reporter.list(ErrorReportFilter(), withContent: false)
        #expect(listed.total == 1)
        let report = try #require(listed.reports.first)
        #expect(report.id == id)
        #expect(report.filename == "ErrorReport-\(id).log")
        #expect(report.nodeName == "vulcan")
        #expect(report.module == "SATELLITE")
        #expect(report.version == "0.1.0")
        #expect(report.exception == "CommandFailed")
        #expect(report.exceptionMessage == "Could not create volume 'r1' 0 in pool 'thin'")
        #expect(report.originFile == "ErrorReporterTests.swift")
        #expect(report.originLine != nil)
        #expect(report.text == nil)
        #expect(abs(report.errorTime - Int64(Date().timeIntervalSince1970 * 1000)) < 60_000)
        #expect(reporter.list(ErrorReportFilter(), withContent: true).reports.first?.text == text)
    }

    @Test func reportsSurviveARestartAndNewIdsDoNotCollide() throws {
        let directory = self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = self.reporter(directory)
        let a = first.record(self.lvcreateFailure())
        let b = first.record(Incident(kind: "DatabaseError", message: "disk full"))
        // A second run in the same second shares the instance part of the id.
        let second = self.reporter(directory)
        #expect(second.list(ErrorReportFilter(), withContent: false).reports.map(\.id) == [a, b])
        let c = second.record(self.lvcreateFailure())
        #expect(![a, b].contains(c))
        #expect(second.count == 3)
    }

    @Test func filtersAndDeletionFollowLINSTOR() throws {
        let directory = self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let reporter = self.reporter(directory)
        let a = reporter.record(self.lvcreateFailure())
        let b = reporter.record(Incident(kind: "DatabaseError", message: "disk full"))
        #expect(reporter.list(ErrorReportFilter(ids: [b]), withContent: false).reports.map(\.id) == [b])
        #expect(reporter.list(ErrorReportFilter(exception: "CommandFailed"), withContent: false).reports.map(\.id) == [a])
        let future = Int64(Date().timeIntervalSince1970 * 1000) + 60_000
        #expect(reporter.list(ErrorReportFilter(since: future), withContent: false).total == 0)
        #expect(reporter.list(ErrorReportFilter(to: future), withContent: false).total == 2)
        // The newest `limit`, still oldest first.
        let limited = reporter.list(ErrorReportFilter(), withContent: false, limit: 1)
        #expect(limited.reports.map(\.id) == [b])
        #expect(limited.total == 2)
        // An empty filter deletes nothing.
        #expect(reporter.delete(ErrorReportFilter()).isEmpty)
        #expect(reporter.delete(ErrorReportFilter(ids: [a])) == [a])
        #expect(!FileManager.default.fileExists(atPath: directory + "/ErrorReport-\(a).log"))
        #expect(FileManager.default.fileExists(atPath: directory + "/ErrorReport-\(b).log"))
        #expect(reporter.count == 1)
    }

    @Test func theDirectoryIsBounded() throws {
        let directory = self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let reporter = self.reporter(directory, limit: 3)
        let ids = (0..<5).map { _ in reporter.record(Incident(kind: "CommandFailed", message: "again")) }
        #expect(reporter.list(ErrorReportFilter(), withContent: false).reports.map(\.id) == Array(ids.suffix(3)))
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("ErrorReport-") }
        #expect(files.count == 3)
    }

    @Test func theControllersIdsHaveNodePartZero() {
        let directory = self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let id = self.reporter(directory, module: .controller).record(Incident(kind: "DatabaseError", message: "disk full"))
        #expect(id.range(of: #"^[0-9A-F]{8}-00000-000000$"#, options: .regularExpression) != nil)
    }

    @Test func anUnwritableDirectoryKeepsReportsInMemory() throws {
        let reporter = ErrorReporter(
            directory: "/proc/depot-no-such-dir", module: .controller, nodeName: "ctrl", version: "0.1.0", logger: Logger(label: "test"))
        let id = reporter.record(Incident(kind: "DatabaseError", message: "disk full"))
        let listed = reporter.list(ErrorReportFilter(), withContent: true)
        #expect(listed.reports.map(\.id) == [id])
        #expect(listed.reports.first?.text?.contains("disk full") == true)
    }
}
