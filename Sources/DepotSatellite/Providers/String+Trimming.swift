extension StringProtocol {
    /// The text without leading and trailing whitespace and newlines.
    var trimmingWhitespace: String {
        guard let first = self.firstIndex(where: { !$0.isWhitespace }),
            let last = self.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }
}
