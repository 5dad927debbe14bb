import DepotReports
import DepotWire
import Foundation
import Logging
import Testing

@testable import DepotSatellite

/// A failure is written once however often it is reported, and again when it changes or returns.
@Suite struct FailureReportsTests {
    private func reports() -> FailureReports {
        FailureReports(
            reporter: ErrorReporter(
                directory: NSTemporaryDirectory() + "depot-failure-reports-\(UUID().uuidString)", module: .satellite, nodeName: "vulcan", version: "0.1.0",
                logger: Logger(label: "test")))
    }

    private let lvcreate = CommandFailureDTO(
        message: "Could not create volume r1/0", commandLine: "lvcreate -V 1024k -n r1_00000 vg/thin", exitCode: 5, stderrTail: "Volume group \"vg\" not found")

    private func report(_ failure: CommandFailureDTO?, pool: CommandFailureDTO? = nil) -> NodeReport {
        NodeReport(
            appliedVersion: 3, storagePools: [StoragePoolReport(name: "thin", freeKiB: nil, totalKiB: nil, failure: pool)],
            resources: [ResourceReport(name: "r1", volumes: [], failure: failure), ResourceReport(name: "r2", volumes: [], failure: nil)])
    }

    @Test func theSameFailureKeepsItsReport() throws {
        let reports = self.reports()
        defer { try? FileManager.default.removeItem(atPath: reports.reporter.directory) }
        let first = reports.annotate(self.report(self.lvcreate))
        let id = try #require(first.resources[0].failure?.reportID)
        #expect(first.resources[1].failure == nil)
        let text = try #require(reports.reporter.list(ErrorReportFilter(ids: [id]), withContent: true).reports.first?.text)
        #expect(text.contains("lvcreate -V 1024k -n r1_00000 vg/thin"))
        #expect(text.contains("Resource:                       r1"))
        #expect(text.contains("Exit code:                      5"))
        // Retried on every apply and re-sent with DRBD's changes: still one report.
        for _ in 0..<5 { #expect(reports.annotate(self.report(self.lvcreate)).resources[0].failure?.reportID == id) }
        #expect(reports.reporter.count == 1)
    }

    @Test func aChangedOrReturningFailureGetsANewReport() throws {
        let reports = self.reports()
        defer { try? FileManager.default.removeItem(atPath: reports.reporter.directory) }
        let first = try #require(reports.annotate(self.report(self.lvcreate)).resources[0].failure?.reportID)
        var other = self.lvcreate
        other.stderrTail = "Insufficient free space"
        let changed = try #require(reports.annotate(self.report(other)).resources[0].failure?.reportID)
        #expect(changed != first)
        // It cleared, then failed again.
        #expect(reports.annotate(self.report(nil)).resources[0].failure == nil)
        let again = try #require(reports.annotate(self.report(other)).resources[0].failure?.reportID)
        #expect(![first, changed].contains(again))
        #expect(reports.reporter.count == 3)
    }

    @Test func poolFailuresAreReportedToo() throws {
        let reports = self.reports()
        defer { try? FileManager.default.removeItem(atPath: reports.reporter.directory) }
        let pool = CommandFailureDTO(message: "Cannot read pool 'thin'", commandLine: "lvs vg/thin", exitCode: 5, stderrTail: nil)
        let annotated = reports.annotate(self.report(nil, pool: pool))
        let id = try #require(annotated.storagePools[0].failure?.reportID)
        #expect(reports.reporter.list(ErrorReportFilter(ids: [id]), withContent: false).reports.first?.exception == "CommandFailed")
    }
}
