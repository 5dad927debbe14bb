import DepotClient
import Foundation

/// Reads interactive lines: a small line editor on a terminal (raw mode via termios, history,
/// completion), plain line reading otherwise.
@MainActor
struct LineReader {
    let root: CommandSpec
    let isTerminal: Bool
    let historyPath: String?
    var history: [String] = []
    let console = Console()
    static let historyLimit = 1000

    init(root: CommandSpec, environment: [String: String]) {
        self.root = root
        self.isTerminal = isatty(0) == 1 && isatty(1) == 1
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
        self.historyPath = home.map { $0 + "/.config/depot/client.history" }
        if self.isTerminal, let path = self.historyPath, let data = FileManager.default.contents(atPath: path) {
            self.history = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init).suffix(
                Self.historyLimit
            )
        }
    }

    /// The next line without its newline, or `nil` at end of input (Ctrl-D, Ctrl-C, closed pipe).
    mutating func readLine(prompt: String) -> String? {
        guard self.isTerminal else {
            self.console.out(prompt)
            return Swift.readLine(strippingNewline: true)
        }
        guard let line = self.editLine(prompt: prompt) else { return nil }
        let trimmed = line.trimmingSpaces()
        if !trimmed.isEmpty, self.history.last != trimmed {
            self.history.append(trimmed)
        }
        return line
    }

    func saveHistory() {
        guard self.isTerminal, let path = self.historyPath else { return }
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let text = self.history.suffix(Self.historyLimit).joined(separator: "\n") + "\n"
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    }

    /// Edits one line in raw mode; the terminal is restored before returning.
    private func editLine(prompt: String) -> String? {
        var original = termios()
        guard tcgetattr(0, &original) == 0 else {
            self.console.out(prompt)
            return Swift.readLine(strippingNewline: true)
        }
        var raw = original
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
        withUnsafeMutableBytes(of: &raw.c_cc) { bytes in
            bytes[Int(VMIN)] = 1
            bytes[Int(VTIME)] = 0
        }
        tcsetattr(0, TCSAFLUSH, &raw)
        defer { tcsetattr(0, TCSAFLUSH, &original) }
        var state = LineEditorState(history: self.history)
        self.console.out(prompt)
        while let key = Self.readKey() {
            switch state.handle(key, root: self.root) {
            case .redraw:
                self.console.out("\r" + prompt + state.text + "\u{1B}[K" + state.cursorBackSequence)
            case .list(let words):
                self.console.out(
                    "\r\n" + words.joined(separator: "  ") + "\r\n" + prompt + state.text + state.cursorBackSequence
                )
            case .bell:
                self.console.out("\u{07}")
            case .accept:
                self.console.out("\r\n")
                return state.text
            case .endOfInput:
                return nil
            case .interrupt:
                self.console.out("^C\r\n")
                return nil
            case .clearScreen:
                self.console.out("\u{1B}[H\u{1B}[2J" + prompt + state.text + state.cursorBackSequence)
            }
        }
        return nil
    }

    /// One key press: a character, a control byte, or an escape sequence.
    private static func readKey() -> LineEditorState.Key? {
        guard let byte = Self.readByte() else { return nil }
        switch byte {
        case 0x1B:
            guard let second = Self.readByte() else { return .control(byte) }
            guard second == UInt8(ascii: "[") || second == UInt8(ascii: "O") else { return .escape([second]) }
            var sequence: [UInt8] = [second]
            while let next = Self.readByte() {
                sequence.append(next)
                if (0x40...0x7E).contains(next) { break }
            }
            return .escape(sequence)
        case 0x00..<0x20, 0x7F:
            return .control(byte)
        default:
            var bytes = [byte]
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            while bytes.count < length, let next = Self.readByte() { bytes.append(next) }
            return .text(String(decoding: bytes, as: UTF8.self))
        }
    }

    private static func readByte() -> UInt8? {
        var byte: UInt8 = 0
        while true {
            let count = read(0, &byte, 1)
            if count == 1 { return byte }
            if count < 0, errno == EINTR { continue }
            return nil
        }
    }
}
