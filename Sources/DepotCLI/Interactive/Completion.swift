/// Completion of command words and option names for the interactive line editor.
@MainActor
enum Completion {
    /// The words that may complete the last (partial) word of `text`, which is the line up to the cursor.
    ///
    /// - Returns: where the partial word starts (in characters) and the sorted candidates.
    static func candidates(for text: String, root: CommandSpec) -> (start: Int, words: [String]) {
        let endsWithSpace = text.last == " " || text.last == "\t"
        var words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let partial = endsWithSpace ? "" : (words.popLast() ?? "")
        let start = text.count - partial.count
        if words.first == "depot" || words.first == "linstor" { words.removeFirst() }
        words = CommandTree.normalizeSpelling(words, root: root)
        var spec = root
        for word in words {
            guard spec.action == nil else { break }
            guard let next = spec.subcommand(word) else { return (start, []) }
            spec = next
        }
        var pool: [String]
        if spec.action == nil {
            pool = spec.subcommands.flatMap(\.words)
        } else if partial.hasPrefix("-") {
            pool = ["--help"] + spec.options.filter { !$0.isHidden }.flatMap(\.names)
        } else {
            pool = []
        }
        let matches = Set(pool.filter { $0.hasPrefix(partial) })
        return (start, matches.sorted())
    }

    /// The longest text every candidate starts with.
    static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first else { return "" }
        for word in words.dropFirst() {
            while !word.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}
