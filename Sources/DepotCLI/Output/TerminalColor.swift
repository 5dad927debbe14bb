/// ANSI colours as LINSTOR's client writes them: `ESC[0;3Xm` dark, `ESC[1;3Xm` bright, `ESC[0m` reset.
enum TerminalColor: String, Sendable {
    case darkRed = "\u{1B}[0;31m"
    case darkGreen = "\u{1B}[0;32m"
    case darkBlue = "\u{1B}[0;34m"
    case darkPink = "\u{1B}[0;35m"
    case gray = "\u{1B}[0;37m"
    case red = "\u{1B}[1;31m"
    case green = "\u{1B}[1;32m"
    case yellow = "\u{1B}[1;33m"
    case blue = "\u{1B}[1;34m"
    case pink = "\u{1B}[1;35m"

    static let reset = "\u{1B}[0m"

    /// `text` wrapped in this colour, or plain when colours are off.
    func wrap(_ text: String, enabled: Bool) -> String {
        enabled ? self.rawValue + text + Self.reset : text
    }
}
