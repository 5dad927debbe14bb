public import DepotWire
import Foundation

/// The text of an error report file, laid out as LINSTOR's so operators read it the same way, and
/// read back: the file is the only copy, so the list is rebuilt from the headers after a restart.
enum ErrorReportText {
    static let labelWidth = 36
    static let separator = String(repeating: "=", count: 60)
    static let end = "END OF ERROR REPORT."

    /// Who writes the reports: the first lines of every report.
    struct Header: Sendable {
        var id: String
        var application: String
        var module: String
        var version: String
        var time: Date
        var node: String
    }

    static func render(_ header: Header, _ incident: Incident) -> String {
        var lines = ["ERROR REPORT \(header.id)", "", separator, ""]
        lines.append(field("Application:", header.application))
        lines.append(field("Module:", header.module))
        lines.append(field("Version:", header.version))
        lines.append(field("Error time:", timestamp(header.time)))
        lines.append(field("Node:", header.node))
        if let peer = incident.peer { lines.append(field("Peer:", peer)) }
        lines += ["", separator, "", "Reported error:", "===============", ""]
        lines.append(field("Category:", incident.kind))
        lines.append(field("Error message:", oneLine(incident.message)))
        lines.append(field("Origin file:", incident.origin.file))
        lines.append(field("Origin method:", incident.origin.function))
        lines.append(field("Origin line:", String(incident.origin.line)))
        if !incident.context.isEmpty {
            lines += ["", "Error context:"]
            lines += incident.context.map { "    " + field($0.label + ":", oneLine($0.value), width: labelWidth - 4) }
        }
        if let command = incident.command {
            lines += ["", "Failed command:"]
            lines.append("    " + field("Command line:", oneLine(command.commandLine), width: labelWidth - 4))
            if let exitCode = command.exitCode { lines.append("    " + field("Exit code:", String(exitCode), width: labelWidth - 4)) }
            if let stderr = command.stderrTail, !stderr.isEmpty {
                lines.append("    Standard error (last lines):")
                lines += stderr.split(separator: "\n", omittingEmptySubsequences: false).map { "        " + $0 }
            }
        }
        lines += ["", end, ""]
        return lines.joined(separator: "\n")
    }

    /// The listing's fields from a report's text; `nil` for a file that is not a report of ours.
    static func parse(_ text: String) -> ErrorReportDTO? {
        var fields: [String: String] = [:]
        var id: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("ERROR REPORT ") {
                id = String(line.dropFirst("ERROR REPORT ".count))
                continue
            }
            // The header and the reported error are the unindented "Label:   value" lines.
            guard !line.hasPrefix(" "), let colon = line.firstIndex(of: ":") else { continue }
            let label = String(line[..<colon])
            guard fields[label] == nil else { continue }
            fields[label] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if label == "Origin line" { break }
        }
        guard let id, let time = fields["Error time"].flatMap(date) else { return nil }
        var report = ErrorReportDTO(
            id: id, nodeName: fields["Node"], errorTime: Int64((time.timeIntervalSince1970 * 1000).rounded()), module: fields["Module"],
            version: fields["Version"])
        report.peer = fields["Peer"]
        report.exception = fields["Category"]
        report.exceptionMessage = fields["Error message"]
        report.originFile = fields["Origin file"]
        report.originMethod = fields["Origin method"]
        report.originLine = fields["Origin line"].flatMap { Int32($0) }
        return report
    }

    private static func field(_ label: String, _ value: String, width: Int = labelWidth) -> String {
        label.padding(toLength: max(width, label.count + 1), withPad: " ", startingAt: 0) + value
    }

    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " / ")
    }

    private static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    private static func date(_ text: String) -> Date? {
        try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }
}
