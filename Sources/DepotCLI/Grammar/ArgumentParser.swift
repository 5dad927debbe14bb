/// Parses one command's words the way LINSTOR's bundled argparse does, minus its worst trap.
///
/// It accepts unambiguous prefixes of long options, `--opt=value`, attached short values (`-sPOOL`),
/// bundled short flags and options between positionals. Greedy options (`nargs='*'`/`'+'`) take every
/// following word that is not an option, as argparse does; but where that would leave the command's
/// positional arguments missing (the article's `resource create --storage-pool thinpool vulcan kronos
/// LocalData`), words are given back from the end of the greedy option, which argparse never does.
struct ArgumentParser {
    let spec: CommandSpec
    /// The command path for messages, e.g. `depot resource create`.
    let program: String

    private struct GreedyUse {
        let option: OptionSpec
        /// Where the option's words stand among the positional words.
        let insertionPoint: Int
    }

    func parse(_ words: [String]) throws(CLIFailure) -> ParsedArguments {
        var parsed = ParsedArguments()
        var positionalWords: [String] = []
        var greedyUses: [GreedyUse] = []
        var index = 0
        var onlyPositionals = false
        while index < words.count {
            let word = words[index]
            index += 1
            if onlyPositionals || !self.looksLikeOption(word) {
                positionalWords.append(word)
                continue
            }
            if word == "--" {
                onlyPositionals = true
                continue
            }
            if word == "-h" || word == "--help"
                || (word.count > 3 && "--help".hasPrefix(word) && !self.hasLong(prefix: word))
            {
                throw CLIFailure.help
            }
            var (option, attached) = try self.resolve(word)
            if option.arity == .flag, let bundle = attached {
                parsed.values[option.dest] = .flag
                // Bundled short flags: `-ab` is `-a -b`.
                var rest = Substring(bundle)
                while let first = rest.first {
                    (option, attached) = try self.resolve(
                        "-" + String(first) + (rest.count > 1 ? String(rest.dropFirst()) : "")
                    )
                    if option.arity == .flag {
                        parsed.values[option.dest] = .flag
                        rest = rest.dropFirst()
                    } else {
                        break
                    }
                }
                if option.arity == .flag { continue }
            }
            switch option.arity {
            case .flag:
                parsed.values[option.dest] = .flag
            case .single:
                let value: String
                if let attached {
                    value = attached
                } else if index < words.count, !self.looksLikeOption(words[index]) || words[index] == "-" {
                    value = words[index]
                    index += 1
                } else {
                    throw CLIFailure.usage("argument \(option.displayName): expected one argument")
                }
                let checked = try self.check(value, for: option)
                if option.appends {
                    parsed.values[option.dest] = .list((parsed.strings(option.dest) ?? []) + [checked])
                } else {
                    parsed.values[option.dest] = .single(checked)
                }
            case .optionalSingle:
                if let attached {
                    parsed.values[option.dest] = .single(try self.check(attached, for: option))
                } else if index < words.count, !self.looksLikeOption(words[index]) {
                    greedyUses.append(GreedyUse(option: option, insertionPoint: positionalWords.count))
                    parsed.values[option.dest] = .single(try self.check(words[index], for: option))
                    index += 1
                } else {
                    parsed.values[option.dest] = .bare
                }
            case .zeroOrMore, .oneOrMore:
                var values: [String] = attached.map { [$0] } ?? []
                while index < words.count, !self.looksLikeOption(words[index]) {
                    values.append(words[index])
                    index += 1
                }
                if option.arity == .oneOrMore, values.isEmpty {
                    throw CLIFailure.usage("argument \(option.displayName): expected at least one argument")
                }
                values = try values.map { (value: String) throws(CLIFailure) -> String in
                    try self.check(value, for: option)
                }
                if attached == nil {
                    greedyUses.append(GreedyUse(option: option, insertionPoint: positionalWords.count))
                }
                let previous = option.appends ? (parsed.strings(option.dest) ?? []) : []
                parsed.values[option.dest] = .list(previous + values)
            }
        }
        self.giveBack(greedyUses, to: &positionalWords, parsed: &parsed)
        try self.assignPositionals(positionalWords, into: &parsed)
        return parsed
    }

    /// Moves words from greedy options back to the positionals when positionals would go missing.
    private func giveBack(_ uses: [GreedyUse], to positionalWords: inout [String], parsed: inout ParsedArguments) {
        var missing = self.spec.positionals.reduce(0) { $0 + $1.arity.minimum } - positionalWords.count
        for use in uses.reversed() where missing > 0 {
            let dest = use.option.dest
            switch parsed.values[dest] {
            case .single(let value) where use.option.arity == .optionalSingle:
                parsed.values[dest] = .bare
                positionalWords.insert(value, at: use.insertionPoint)
                missing -= 1
            case .list(let values):
                let floor = use.option.arity == .oneOrMore ? 1 : 0
                let keep = use.option.keepsWhenPositionalsMissing.map { max($0, floor) }
                var count = min(missing, values.count - floor)
                if let keep { count = max(count, values.count - keep) }
                guard count > 0 else { continue }
                parsed.values[dest] = .list(Array(values.dropLast(count)))
                positionalWords.insert(contentsOf: values.suffix(count), at: use.insertionPoint)
                missing -= count
            default:
                continue
            }
        }
    }

    private func assignPositionals(_ words: [String], into parsed: inout ParsedArguments) throws(CLIFailure) {
        var position = 0
        for (index, positional) in self.spec.positionals.enumerated() {
            let laterMinimum = self.spec.positionals[(index + 1)...].reduce(0) { $0 + $1.arity.minimum }
            let available = max(0, words.count - position - laterMinimum)
            switch positional.arity {
            case .one:
                guard available >= 1 else { throw CLIFailure.usage("too few arguments") }
                parsed.values[positional.dest] = .single(words[position])
                position += 1
            case .optional:
                if available >= 1 {
                    parsed.values[positional.dest] = .single(words[position])
                    position += 1
                }
            case .zeroOrMore, .oneOrMore:
                if positional.arity == .oneOrMore, available < 1 { throw CLIFailure.usage("too few arguments") }
                parsed.values[positional.dest] = .list(Array(words[position..<(position + available)]))
                position += available
            }
        }
        if position < words.count {
            throw CLIFailure.usage("unrecognized arguments: " + words[position...].joined(separator: " "))
        }
    }

    /// Finds the option a word names; returns an attached value (`--x=v`, `-sv`) if any.
    private func resolve(_ word: String) throws(CLIFailure) -> (OptionSpec, String?) {
        if word.hasPrefix("--") {
            var name = word
            var attached: String?
            if let equals = word.firstIndex(of: "=") {
                name = String(word[..<equals])
                attached = String(word[word.index(after: equals)...])
            }
            if let exact = self.spec.options.first(where: { $0.names.contains(name) }) {
                return (exact, attached)
            }
            let candidates = self.spec.options.filter { option in
                option.names.contains { $0.hasPrefix("--") && $0.hasPrefix(name) }
            }
            if candidates.count == 1 { return (candidates[0], attached) }
            if candidates.count > 1 {
                let spellings = candidates.flatMap { $0.names.filter { $0.hasPrefix(name) } }
                throw CLIFailure.usage("ambiguous option: \(name) could match \(spellings.joined(separator: ", "))")
            }
            throw CLIFailure.usage("unrecognized arguments: \(word)")
        }
        if let exact = self.spec.options.first(where: { $0.names.contains(word) }) {
            return (exact, nil)
        }
        let short = String(word.prefix(2))
        if let option = self.spec.options.first(where: { $0.names.contains(short) }) {
            return (option, String(word.dropFirst(2)))
        }
        throw CLIFailure.usage("unrecognized arguments: \(word)")
    }

    private func hasLong(prefix: String) -> Bool {
        self.spec.options.contains { option in option.names.contains { $0.hasPrefix(prefix) } }
    }

    /// A word is an option if it starts with `-` and is not a negative number or a lone `-`.
    func looksLikeOption(_ word: String) -> Bool {
        guard word.hasPrefix("-"), word.count > 1 else { return false }
        if Double(word) != nil, !self.spec.options.contains(where: { $0.names.contains(word) }) { return false }
        return true
    }

    private func check(_ value: String, for option: OptionSpec) throws(CLIFailure) -> String {
        let value = option.lowercase ? value.lowercased() : value
        if let choices = option.choices, !choices.contains(value) {
            let allowed = choices.map { "'\($0)'" }.joined(separator: ", ")
            throw CLIFailure.usage(
                "argument \(option.displayName): invalid choice: '\(value)' (choose from \(allowed))"
            )
        }
        return value
    }
}
