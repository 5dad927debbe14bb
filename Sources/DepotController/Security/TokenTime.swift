import Foundation

/// The timestamps of LINSTOR's token calls: ISO-8601 in UTC with `Z` and only the fraction digits
/// needed (Java's `ISO_OFFSET_DATE_TIME`), and expiry dates as their midnight UTC.
enum TokenTime {
    /// `2026-12-03T21:44:25.12Z` for milliseconds since the epoch.
    static func format(_ milliseconds: Int64) -> String {
        let seconds = milliseconds.quotientAndRemainder(dividingBy: 1000)
        let whole = seconds.remainder < 0 ? seconds.quotient - 1 : seconds.quotient
        let fraction = (milliseconds - whole * 1000)
        var text = Self.formatter.string(from: Date(timeIntervalSince1970: TimeInterval(whole)))
        if fraction > 0 {
            var digits = String(format: "%03d", fraction)
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text + "Z"
    }

    /// Milliseconds since the epoch of `YYYY-MM-DD`'s midnight UTC; nil for anything else.
    static func midnight(of date: String) -> Int64? {
        let parts = date.split(separator: "-", omittingEmptySubsequences: false)
        guard date.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let components = DateComponents(year: year, month: month, day: day)
        // A date Java's strict parser refuses (2026-02-30) must not roll over into the next month.
        guard components.isValidDate(in: calendar), let midnight = calendar.date(from: components) else { return nil }
        return Int64(midnight.timeIntervalSince1970) * 1000
    }

    private static var formatter: DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .gmt
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter
    }
}
