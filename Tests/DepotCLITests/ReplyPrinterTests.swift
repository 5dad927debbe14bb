import DepotClient
import DepotTestSupport
import Testing

@testable import DepotCLI

@Suite struct ReplyPrinterTests {
    func replies() throws -> [ApiCallReply] {
        try Fixture.json("replies.json").arrayValue.map(ApiCallReply.init(raw:))
    }

    @Test func printsLikeLinstor() throws {
        let printer = ReplyPrinter(colors: true, warningsAreErrors: false, program: "linstor")
        let rendered = printer.render(try self.replies())
        #expect(rendered.text == (try Fixture.text("replies.txt")))
        #expect(rendered.exitCode == 10)
        let plain = ReplyPrinter(colors: false, warningsAreErrors: false, program: "linstor").render(try self.replies())
        #expect(plain.text == (try Fixture.text("replies-plain.txt")))
    }

    @Test func exitCodesBySeverity() throws {
        let all = try self.replies()
        let printer = ReplyPrinter(colors: false, warningsAreErrors: false)
        #expect(printer.render(Array(all[0..<4])).exitCode == 0)
        #expect(ReplyPrinter(colors: false, warningsAreErrors: true).render(Array(all[0..<4])).exitCode == 10)
        #expect(printer.render(all[4]).exitCode == 10)
        #expect(printer.render(all[4]).text.contains("    depot error-reports show 5F1A-000-1 5F1A-000-2\n"))
    }
}
