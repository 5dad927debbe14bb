import DepotClient

/// The set-property / list-properties family shared by every object kind.
extension CommandInvocation {
    /// The key as given, or under `Aux/` with `--aux`.
    var propertyKey: String {
        let key = self.arguments.required("key")
        return self.arguments.flag("aux") ? "Aux/" + key : key
    }

    /// `{"override_props": {k: v}}`, or `{"delete_props": [k]}` when the value is missing or empty.
    func propertyChangeBody() -> JSONValue {
        let value = self.arguments.string("value") ?? ""
        if value.isEmpty {
            return .makeObject([("delete_props", .strings([self.propertyKey]))])
        }
        return .makeObject([("override_props", .stringMap([(self.propertyKey, value)]))])
    }

    /// Prints a property map as a `Key | Value` table (sorted) or, with `-m`, `[[{key, value}…]]`.
    func printProperties(_ props: JSONValue?) -> Int32 {
        if self.globals.machineReadable {
            guard let props else {
                self.console.out("\n")
                return ExitCode.ok
            }
            let pairs = props.objectMembers.map {
                JSONValue.makeObject([("key", .string($0.key)), ("value", $0.value)])
            }
            self.console.out(JSONValue.array([.array(pairs)]).pythonIndentedText() + "\n")
            return ExitCode.ok
        }
        guard let props else {
            self.console.out(
                TerminalColor.yellow.wrap("No property map found for this entry.", enabled: self.session.colors) + "\n"
            )
            return ExitCode.ok
        }
        var table = self.makeTable()
        table.addColumn("Key")
        table.addColumn("Value")
        let members = props.objectMembers.sorted {
            Array($0.key.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.key.unicodeScalars.map(\.value))
        }
        for member in members {
            table.addRow([TextTable.Cell(member.key), TextTable.Cell(member.value.displayText)])
        }
        self.console.out(table.render())
        return ExitCode.ok
    }

    /// The `-s KEY[=HEADER]` extra columns.
    func showPropColumns(_ dest: String = "show_props") -> [ShowProp] {
        (self.arguments.strings(dest) ?? []).map { entry in
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return ShowProp(key: String(parts[0]), header: parts.count > 1 ? String(parts[1]) : entry)
        }
    }

    /// The `-g` columns, or the first column.
    func groupBy(default column: String) -> [String] {
        self.arguments.strings("groupby") ?? [column]
    }
}

/// A property shown as an extra table column (`-s KEY[=HEADER]`).
struct ShowProp {
    let key: String
    let header: String
}

extension TextTable {
    /// Adds one column per shown property.
    mutating func addColumns(_ showProps: [ShowProp]) {
        for prop in showProps { self.addColumn(prop.header) }
    }
}

extension JSONValue {
    /// The cells of the shown properties of this object.
    func cells(_ showProps: [ShowProp]) -> [TextTable.Cell] {
        showProps.map { TextTable.Cell(self.prop($0.key)) }
    }

    /// The text a table cell shows for a JSON value (Python's `str()` of it).
    var displayText: String {
        switch self {
        case .string(let text): text
        case .null: "None"
        default: self.pythonRepr
        }
    }

    /// Python's `repr()`/`str()` of a decoded JSON value: `['a', 'b']`, `{'k': 2}`, `True`.
    var pythonRepr: String {
        switch self {
        case .null: return "None"
        case .bool(let value): return value ? "True" : "False"
        case .integer(let value): return String(value)
        case .double(let value): return value.description
        case .string(let text):
            let quote = text.contains("'") && !text.contains("\"") ? "\"" : "'"
            var escaped = text.replacingBackslashes()
            if quote == "'" {
                escaped = escaped.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "\\'")
            }
            return quote + escaped + quote
        case .array(let elements):
            return "[" + elements.map(\.pythonRepr).joined(separator: ", ") + "]"
        case .object(let members):
            return "{"
                + members.map { JSONValue.string($0.key).pythonRepr + ": " + $0.value.pythonRepr }.joined(
                    separator: ", "
                ) + "}"
        }
    }

    /// A string member, empty when absent.
    func text(_ key: String) -> String { self[key]?.stringValue ?? "" }

    /// The `flags` list.
    var flags: [String] { self["flags"]?.arrayValue.compactMap(\.stringValue) ?? [] }

    /// The `props` map.
    var props: JSONValue { self["props"] ?? .object([]) }

    /// A property as text, empty when absent.
    func prop(_ key: String) -> String { self.props[key]?.displayText ?? "" }
}

extension String {
    func replacingBackslashes() -> String {
        self.split(separator: "\\", omittingEmptySubsequences: false).joined(separator: "\\\\")
    }
}
