import DepotClient

/// Prints ApiCallRc replies as LINSTOR's client does (`Output.handle_ret`).
///
/// A reply is a category line (`SUCCESS:`, `INFO:`, `WARNING:`, `ERROR:`), `Description:` when more
/// than the message is present, the message indented by four spaces, then `Cause:`, `Correction:`,
/// `Details:` and `Show reports:` blocks. The colour reset follows the category's newline, as there.
struct ReplyPrinter {
    let colors: Bool
    let warningsAreErrors: Bool
    var program = "depot"

    /// The text of one reply and the exit code it implies.
    func render(_ reply: ApiCallReply) -> (text: String, exitCode: Int32) {
        var exitCode = ExitCode.ok
        let category: String
        if reply.isError {
            exitCode = ExitCode.apiError
            category = TerminalColor.red.wrap("ERROR:\n", enabled: self.colors)
        } else if reply.isWarning {
            if self.warningsAreErrors { exitCode = ExitCode.apiError }
            category = TerminalColor.yellow.wrap("WARNING:\n", enabled: self.colors)
        } else if reply.isInfo {
            category = TerminalColor.blue.wrap("INFO:\n", enabled: self.colors)
        } else {
            category = TerminalColor.green.wrap("SUCCESS:\n", enabled: self.colors)
        }
        var text = category
        let cause = reply.cause ?? ""
        let correction = reply.correction ?? ""
        let details = reply.details ?? ""
        if !reply.message.isEmpty, !(cause.isEmpty && correction.isEmpty && details.isEmpty) {
            text += "Description:\n"
        }
        text += Self.indented(reply.message)
        if !cause.isEmpty { text += "Cause:\n" + Self.indented(cause) }
        if !correction.isEmpty { text += "Correction:\n" + Self.indented(correction) }
        if !details.isEmpty { text += "Details:\n" + Self.indented(details) }
        if !reply.errorReportIDs.isEmpty {
            text +=
                "Show reports:\n"
                + Self.indented("\(self.program) error-reports show " + reply.errorReportIDs.joined(separator: " "))
        }
        return (text, exitCode)
    }

    /// All replies in order; the exit code is that of the last reply that was not OK.
    func render(_ replies: [ApiCallReply]) -> (text: String, exitCode: Int32) {
        var exitCode = ExitCode.ok
        var text = ""
        for reply in replies {
            let rendered = self.render(reply)
            text += rendered.text
            if rendered.exitCode != ExitCode.ok { exitCode = rendered.exitCode }
        }
        return (text, exitCode)
    }

    /// Every line indented by four spaces; a trailing newline adds no empty line.
    static func indented(_ text: String) -> String {
        guard !text.isEmpty else { return "" }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        return lines.map { "    " + $0 + "\n" }.joined()
    }
}
