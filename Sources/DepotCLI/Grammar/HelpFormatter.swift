import Foundation

/// Usage lines and help pages in argparse's layout, generated from the command tree.
@MainActor
struct HelpFormatter {
    let program: String
    let width = 80

    /// `usage: depot node create [-h] [-p PORT] … name [ip]`, wrapped under the command.
    func usage(_ spec: CommandSpec) -> String {
        var parts = ["[-h]"]
        for option in spec.options where !option.isHidden {
            parts.append("[" + Self.invocation(option, short: true) + "]")
        }
        if spec.action == nil {
            let names = spec.subcommands.filter { !$0.isHidden }.map(\.name)
            parts.append("{" + names.joined(separator: ", ") + "} ...")
        }
        for positional in spec.positionals {
            parts.append(Self.usagePart(positional))
        }
        let lead = "usage: \(self.program) "
        return self.wrap(parts, lead: lead, indent: String(repeating: " ", count: lead.count))
    }

    /// The whole help page of a command or group.
    func help(_ spec: CommandSpec) -> String {
        var text = self.usage(spec) + "\n"
        if !spec.summary.isEmpty { text += self.paragraph(spec.summary, indent: "") + "\n" }
        if spec.action == nil {
            text += "\(spec.summary.isEmpty ? "Commands" : "subcommands"):\n"
            for sub in spec.subcommands where !sub.isHidden {
                let label =
                    " - " + sub.name + (sub.aliases.isEmpty ? "" : " (" + sub.aliases.joined(separator: ", ") + ")")
                text += self.entry(label, Self.firstSentence(sub.summary))
            }
            text += "\n"
        }
        if !spec.positionals.isEmpty {
            text += "positional arguments:\n"
            for positional in spec.positionals {
                text += self.entry("  " + positional.displayName, positional.help)
            }
            text += "\n"
        }
        text += "optional arguments:\n"
        text += self.entry("  -h, --help", "show this help message and exit")
        for option in spec.options where !option.isHidden {
            let forms = option.names.map { name in
                option.arity == .flag ? name : name + " " + Self.valuePart(option)
            }
            text += self.entry("  " + forms.joined(separator: ", "), option.help)
        }
        return text
    }

    /// An option as it appears in a usage line.
    static func invocation(_ option: OptionSpec, short: Bool) -> String {
        let name = short ? (option.names.first { !$0.hasPrefix("--") } ?? option.names[0]) : option.names[0]
        return option.arity == .flag ? name : name + " " + Self.valuePart(option)
    }

    private static func valuePart(_ option: OptionSpec) -> String {
        let value = option.valueName
        switch option.arity {
        case .flag: return ""
        case .single: return value
        case .optionalSingle: return "[\(value)]"
        case .zeroOrMore: return "[\(value) [\(value) ...]]"
        case .oneOrMore: return "\(value) [\(value) ...]"
        }
    }

    private static func usagePart(_ positional: PositionalSpec) -> String {
        let name = positional.displayName
        switch positional.arity {
        case .one: return name
        case .optional: return "[\(name)]"
        case .zeroOrMore: return "[\(name) [\(name) ...]]"
        case .oneOrMore: return "\(name) [\(name) ...]"
        }
    }

    private static func firstSentence(_ text: String) -> String {
        guard let end = text.range(of: ". ") else { return text }
        return String(text[..<end.lowerBound]) + "."
    }

    /// One `name  help` line pair, help starting in column 24 and wrapped.
    private func entry(_ label: String, _ help: String) -> String {
        let column = 24
        guard !help.isEmpty else { return label + "\n" }
        let indent = String(repeating: " ", count: column)
        // Lines of the help stay lines (argparse's RawTextHelpFormatter, as set-property's key list needs).
        let lines = help.split(separator: "\n").flatMap { self.wrapWords(String($0), width: self.width - column) }
        var text: String
        if label.count <= column - 2 {
            text = label + String(repeating: " ", count: column - label.count) + (lines.first ?? "") + "\n"
        } else {
            text = label + "\n" + indent + (lines.first ?? "") + "\n"
        }
        for line in lines.dropFirst() { text += indent + line + "\n" }
        return text
    }

    private func paragraph(_ text: String, indent: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            self.wrapWords(String(line), width: self.width - indent.count).map { indent + $0 + "\n" }.joined()
        }.joined()
    }

    private func wrap(_ parts: [String], lead: String, indent: String) -> String {
        var lines: [String] = []
        var current = lead
        for part in parts {
            if current.count + part.count + 1 > self.width, current.count > indent.count {
                lines.append(current)
                current = indent + part
            } else {
                current += (current == lead ? "" : " ") + part
            }
        }
        lines.append(current)
        return lines.map { String($0.reversed().drop { $0 == " " }.reversed()) + "\n" }.joined()
    }

    private func wrapWords(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty, current.count + word.count + 1 > width {
                lines.append(current)
                current = String(word)
            } else {
                current += (current.isEmpty ? "" : " ") + word
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.isEmpty ? [""] : lines
    }
}
