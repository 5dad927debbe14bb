/// The values of one command line, by `dest`.
struct ParsedArguments {
    enum Value: Equatable {
        case flag
        case single(String)
        /// An optional-value option given without its value.
        case bare
        case list([String])
    }

    var values: [String: Value] = [:]

    /// Whether the option or positional was given at all.
    func isPresent(_ dest: String) -> Bool { self.values[dest] != nil }

    func flag(_ dest: String) -> Bool { self.values[dest] != nil }

    /// A single value; the first of a list.
    func string(_ dest: String) -> String? {
        switch self.values[dest] {
        case .single(let value): value
        case .list(let values): values.first
        default: nil
        }
    }

    /// A list value; `nil` when absent, `[]` for a greedy option given without values.
    func strings(_ dest: String) -> [String]? {
        switch self.values[dest] {
        case .list(let values): values
        case .single(let value): [value]
        case .bare, .flag: []
        case nil: nil
        }
    }

    /// A required positional (the parser guarantees it).
    func required(_ dest: String) -> String { self.string(dest) ?? "" }

    /// An integer option, or a usage error naming the option.
    func integer(_ dest: String, option: String) throws(CLIFailure) -> Int? {
        guard let text = self.string(dest) else { return nil }
        guard let value = Int(text) else {
            throw CLIFailure.usage("argument \(option): invalid int value: '\(text)'")
        }
        return value
    }

    /// An integer within a range (LINSTOR's `rangecheck`).
    func integer(_ dest: String, option: String, in range: ClosedRange<Int>) throws(CLIFailure) -> Int? {
        guard let value = try self.integer(dest, option: option) else { return nil }
        guard range.contains(value) else {
            throw CLIFailure.usage("\(value) not in range: [\(range.lowerBound), \(range.upperBound)]")
        }
        return value
    }
}
