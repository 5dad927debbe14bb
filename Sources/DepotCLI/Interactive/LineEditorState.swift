/// The line being edited: text, cursor, history position. Pure state, so it is tested without a terminal.
@MainActor
struct LineEditorState {
    enum Key: Equatable {
        case text(String)
        case control(UInt8)
        /// The bytes after ESC (`[A` for the up arrow).
        case escape([UInt8])
    }

    enum Action: Equatable {
        case redraw
        case list([String])
        case bell
        case accept
        case endOfInput
        case interrupt
        case clearScreen
    }

    private(set) var characters: [Character] = []
    private(set) var cursor = 0
    let history: [String]
    private var historyIndex: Int
    private var draft: [Character] = []

    init(history: [String]) {
        self.history = history
        self.historyIndex = history.count
    }

    var text: String { String(self.characters) }

    /// Moves the terminal cursor from the end of the text back to the editing position.
    var cursorBackSequence: String {
        let back = self.characters.count - self.cursor
        return back > 0 ? "\u{1B}[\(back)D" : ""
    }

    mutating func handle(_ key: Key, root: CommandSpec) -> Action {
        switch key {
        case .text(let text):
            self.characters.insert(contentsOf: text, at: self.cursor)
            self.cursor += text.count
            return .redraw
        case .control(let byte):
            return self.control(byte, root: root)
        case .escape(let sequence):
            return self.escape(sequence)
        }
    }

    private mutating func control(_ byte: UInt8, root: CommandSpec) -> Action {
        switch byte {
        case 0x0D, 0x0A: return .accept
        case 0x03: return .interrupt
        case 0x04:
            if self.characters.isEmpty { return .endOfInput }
            return self.deleteForward()
        case 0x7F, 0x08:
            guard self.cursor > 0 else { return .bell }
            self.cursor -= 1
            self.characters.remove(at: self.cursor)
            return .redraw
        case 0x01: self.cursor = 0
        case 0x05: self.cursor = self.characters.count
        case 0x02: return self.move(-1)
        case 0x06: return self.move(1)
        case 0x0B: self.characters.removeSubrange(self.cursor...)
        case 0x15:
            self.characters.removeSubrange(..<self.cursor)
            self.cursor = 0
        case 0x17:
            var start = self.cursor
            while start > 0, self.characters[start - 1] == " " { start -= 1 }
            while start > 0, self.characters[start - 1] != " " { start -= 1 }
            self.characters.removeSubrange(start..<self.cursor)
            self.cursor = start
        case 0x0C: return .clearScreen
        case 0x10: return self.recall(-1)
        case 0x0E: return self.recall(1)
        case 0x09: return self.complete(root: root)
        default: return .bell
        }
        return .redraw
    }

    private mutating func escape(_ sequence: [UInt8]) -> Action {
        switch String(decoding: sequence, as: UTF8.self) {
        case "[A", "OA": return self.recall(-1)
        case "[B", "OB": return self.recall(1)
        case "[C", "OC": return self.move(1)
        case "[D", "OD": return self.move(-1)
        case "[H", "OH", "[1~": self.cursor = 0
        case "[F", "OF", "[4~": self.cursor = self.characters.count
        case "[3~": return self.deleteForward()
        default: return .bell
        }
        return .redraw
    }

    private mutating func move(_ offset: Int) -> Action {
        let target = self.cursor + offset
        guard target >= 0, target <= self.characters.count else { return .bell }
        self.cursor = target
        return .redraw
    }

    private mutating func deleteForward() -> Action {
        guard self.cursor < self.characters.count else { return .bell }
        self.characters.remove(at: self.cursor)
        return .redraw
    }

    /// Steps through history; the line being typed is kept as a draft below the newest entry.
    private mutating func recall(_ step: Int) -> Action {
        let target = self.historyIndex + step
        guard target >= 0, target <= self.history.count else { return .bell }
        if self.historyIndex == self.history.count { self.draft = self.characters }
        self.historyIndex = target
        self.characters = target == self.history.count ? self.draft : Array(self.history[target])
        self.cursor = self.characters.count
        return .redraw
    }

    private mutating func complete(root: CommandSpec) -> Action {
        let before = String(self.characters[..<self.cursor])
        let (start, words) = Completion.candidates(for: before, root: root)
        guard !words.isEmpty else { return .bell }
        let partial = String(self.characters[start..<self.cursor])
        let replacement = words.count == 1 ? words[0] + " " : Completion.commonPrefix(words)
        if replacement.count > partial.count || words.count == 1 {
            self.characters.replaceSubrange(start..<self.cursor, with: Array(replacement))
            self.cursor = start + replacement.count
            return .redraw
        }
        return .list(words)
    }
}
