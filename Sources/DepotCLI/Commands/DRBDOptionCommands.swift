import DepotClient
import DepotModel

/// `drbd-options` (`opt`) on the controller, resource groups, definitions and volume definitions, and
/// `drbd-peer-options` (`popt`) on node and resource connections: one `--<option> VALUE` and one
/// `--unset-<option>` per DRBD option, stored as `DrbdOptions/<Section>/<option>` properties.
@MainActor
enum DRBDOptionCommands {
    static let all: Set<DRBDOptionCatalog.Section> = Set(DRBDOptionCatalog.Section.allCases)
    static let peer: Set<DRBDOptionCatalog.Section> = [.net, .peerDevice]

    /// The command-line name of an option: LINSTOR's client renames the one that clashes with its
    /// own `--timeout` and prefixes handlers.
    static func flagName(_ option: DRBDOptionCatalog.Option) -> String {
        if option.section == .handlers { return "handler-" + option.name }
        return option.name == "timeout" ? "drbd-timeout" : option.name
    }

    static func options(_ sections: Set<DRBDOptionCatalog.Section>) -> [OptionSpec] {
        DRBDOptionCatalog.options(in: sections).sorted { self.flagName($0) < self.flagName($1) }.flatMap { option -> [OptionSpec] in
            let name = self.flagName(option)
            let help: String
            var choices: [String]?
            switch option.kind {
            case .text: help = "\(option.section.rawValue) option"
            case .boolean:
                help = "yes/no"
                choices = ["yes", "no"]
            case .choice(let values):
                help = "One of " + values.joined(separator: ", ")
                choices = values
            case .number(let range, _): help = "Range: [\(range.lowerBound), \(range.upperBound)]"
            case .numberOrChoice(let range, let values): help = "Integer between [\(range.lowerBound)-\(range.upperBound)] or one of " + values.joined(separator: ", ")
            }
            return [
                OptionSpec(
                    ["--" + name], dest: "drbd:" + option.key, .single, metavar: String(name.uppercased().map { $0 == "-" ? "_" : $0 }), help: help, choices: choices,
                    lowercase: option.kind.isBoolean),
                OptionSpec(["--unset-" + name], dest: "drbd-unset:" + option.key, help: "Unset " + name),
            ]
        }
    }

    /// `{"override_props": {...}, "delete_props": [...]}` from the options given; refused when empty.
    static func change(_ arguments: ParsedArguments, _ sections: Set<DRBDOptionCatalog.Section>) throws(CLIFailure) -> JSONValue {
        var set: [(String, String)] = []
        var unset: [String] = []
        for option in DRBDOptionCatalog.options(in: sections) {
            if let value = arguments.string("drbd:" + option.key) { set.append((option.key, value)) }
            if arguments.flag("drbd-unset:" + option.key) { unset.append(option.key) }
        }
        guard !set.isEmpty || !unset.isEmpty else {
            throw CLIFailure.usage("give at least one DRBD option to set (--<option> VALUE) or to unset (--unset-<option>)")
        }
        var body: [(String, JSONValue)] = []
        if !set.isEmpty { body.append(("override_props", .stringMap(set))) }
        if !unset.isEmpty { body.append(("delete_props", .strings(unset))) }
        return .makeObject(body)
    }

    static func command(
        _ name: String, aliases: [String], _ help: String, sections: Set<DRBDOptionCatalog.Section>, positionals: [PositionalSpec],
        request: @escaping @MainActor (ParsedArguments, JSONValue) throws(CLIFailure) -> RESTRequest
    ) -> CommandSpec {
        CommandSpec(
            name, aliases: aliases, help, options: Self.options(sections), positionals: positionals,
            action: { invocation throws(CLIFailure) in
                let body = try Self.change(invocation.arguments, sections)
                return try await invocation.reply(try request(invocation.arguments, body))
            })
    }
}

extension DRBDOptionCatalog.Kind {
    var isBoolean: Bool {
        if case .boolean = self { return true }
        return false
    }
}
