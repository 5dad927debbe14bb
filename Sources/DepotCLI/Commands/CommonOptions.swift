import DepotModel

/// Options and arguments many commands share, spelled as LINSTOR's client spells them.
enum CommonOptions {
    static let pastable = OptionSpec(["-p", "--pastable"], help: "Generate pastable output")
    static let props = OptionSpec(["--props"], .oneOrMore, help: "Filter list by object properties")
    static let showProps = OptionSpec(
        ["-s", "--show-props"],
        .oneOrMore,
        help:
            "Show these props in the list. Can be key=value pairs where key is the property name and value column header"
    )
    static let showPropsLong = OptionSpec(
        ["--show-props"],
        .oneOrMore,
        help:
            "Show these props in the list. Can be key=value pairs where key is the property name and value column header"
    )
    static let fromFile = OptionSpec(["--from-file"], .single, help: "Read data to display from the given json file")
    static let async = OptionSpec(["--async"], help: "Deprecated, kept for compatibility", isHidden: true)
    static let aux = OptionSpec(["--aux"], help: "Property is an auxiliary user property.")

    /// `-g/--groupby` with the table's lowercased headers as choices.
    static func groupBy(_ headers: [String]) -> OptionSpec {
        OptionSpec(
            ["-g", "--groupby"],
            .oneOrMore,
            help: "Group the table by these columns",
            choices: headers.map { $0.lowercased() },
            lowercase: true
        )
    }

    static let nodesFilter = OptionSpec(["-n", "--nodes"], .oneOrMore, help: "Filter by list of nodes")
    static let resourcesFilter = OptionSpec(["-r", "--resources"], .oneOrMore, help: "Filter by list of resources")

    /// `KEY [VALUE]` of the set-property command of an object. As in LINSTOR's client, the key's help
    /// lists the keys users set on that object (one a line: key, what it does, the allowed words),
    /// read from the same ``PropertyCatalog`` the controller validates with.
    static func keyValue(_ owner: PropertyOwner) -> [PositionalSpec] {
        let lines = PropertyCatalog.definitions(for: owner).filter { !$0.isInternal }.map { definition in
            let info = definition.info ?? "-"
            guard let words = definition.value.symbols else { return "'\(definition.key)': \(info)" }
            let sentence = info.hasSuffix(".") ? String(info.dropLast()) : info
            return "'\(definition.key)': \(sentence); Allowed: [" + words.map { "'\($0)'" }.joined(separator: ", ") + "]"
        }
        return [
            PositionalSpec("key", help: lines.isEmpty ? "Property key (with --aux, in the Aux/ namespace)." : lines.joined(separator: "\n")),
            PositionalSpec("value", .optional, help: "Value for the chosen property. If empty property will be removed."),
        ]
    }

    /// The list options of most list commands.
    static func listOptions(headers: [String], showPropsShort: Bool = true) -> [OptionSpec] {
        [
            Self.pastable, Self.groupBy(headers), Self.props, showPropsShort ? Self.showProps : Self.showPropsLong,
            Self.fromFile,
        ]
    }
}
