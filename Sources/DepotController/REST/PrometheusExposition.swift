/// The cluster's gauges for one `/metrics` scrape, written in Prometheus' text format (0.0.4).
///
/// The controller's own metrics live in swift-prometheus' registry, which is built for metrics
/// that are made once and updated. A scrape makes thousands of labelled series afresh, and the
/// registry copies its table for each one it adds: 8,000 series took 0.7 s. Here each series is
/// one appended line, grouped by family as the format requires.
struct PrometheusExposition {
    private struct Family {
        let name: String
        var lines: [UInt8]
    }

    private var families: [Family] = []
    private var index: [String: Int] = [:]
    private let help: [String: String]

    /// - Parameter help: Each family's help text, by name.
    init(help: [String: String]) {
        self.help = help
    }

    /// Adds one sample of the gauge family `name`.
    mutating func gauge(_ name: String, labels: [(String, String)] = [], _ value: Double) {
        let position: Int
        if let known = self.index[name] {
            position = known
        } else {
            position = self.families.count
            self.index[name] = position
            var header: [UInt8] = []
            if let help = self.help[name], !help.isEmpty {
                header.append(contentsOf: "# HELP \(name) ".utf8)
                for byte in help.utf8 {
                    if byte == UInt8(ascii: "\\") { header.append(contentsOf: #"\\"#.utf8) } else if byte != UInt8(ascii: "\n") { header.append(byte) }
                }
                header.append(UInt8(ascii: "\n"))
            }
            header.append(contentsOf: "# TYPE \(name) gauge\n".utf8)
            self.families.append(Family(name: name, lines: header))
        }
        self.families[position].lines.append(contentsOf: Self.line(name, labels, value))
    }

    /// Every family, in the order they first appeared.
    var bytes: [UInt8] {
        self.families.reduce(into: []) { $0.append(contentsOf: $1.lines) }
    }

    private static func line(_ name: String, _ labels: [(String, String)], _ value: Double) -> [UInt8] {
        var line = Array(name.utf8)
        if !labels.isEmpty {
            line.append(UInt8(ascii: "{"))
            for (position, (label, text)) in labels.enumerated() {
                if position > 0 { line.append(UInt8(ascii: ",")) }
                line.append(contentsOf: label.utf8)
                line.append(contentsOf: #"=""#.utf8)
                for byte in text.utf8 {
                    switch byte {
                    case UInt8(ascii: "\\"): line.append(contentsOf: #"\\"#.utf8)
                    case UInt8(ascii: "\""): line.append(contentsOf: #"\""#.utf8)
                    case UInt8(ascii: "\n"): line.append(contentsOf: #"\n"#.utf8)
                    default: line.append(byte)
                    }
                }
                line.append(UInt8(ascii: "\""))
            }
            line.append(UInt8(ascii: "}"))
        }
        line.append(UInt8(ascii: " "))
        line.append(contentsOf: "\(value)".utf8)
        line.append(UInt8(ascii: "\n"))
        return line
    }
}
