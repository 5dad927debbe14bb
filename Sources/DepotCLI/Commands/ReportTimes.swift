import Foundation

/// The times `error-reports list` and `delete` take, as linstor-client reads them: a span back
/// from now (`3d`, `1d10h`, `5h`, `3days`) or a local date (`2020-08-30`, `2020-08-30 13:40:00`).
enum ReportTimes {
    /// `1d10h`, `3h`, `3days`: now minus the days and hours; `nil` when `text` is not a span.
    static func span(_ text: String, now: Date = Date()) -> Date? {
        // linstor-client: `^(\d+\W*d)?(\d+\W*h?)?$`, where "3days" counts as 3 days.
        guard let match = text.wholeMatch(of: /(?<days>\d+)\W*d(?:ays?)?(?<hours>\d+)\W*h?|(?<onlyDays>\d+)\W*d(?:ays?)?|(?<onlyHours>\d+)\W*h?/) else {
            return nil
        }
        let days = Int(match.output.days ?? match.output.onlyDays ?? "0") ?? 0
        let hours = Int(match.output.hours ?? match.output.onlyHours ?? "0") ?? 0
        return now.addingTimeInterval(-Double(days * 86_400 + hours * 3_600))
    }

    /// `YYYY-MM-DD[ HH:MM:SS]` in local time, the missing part taken from `fill` (`23:59:59` as linstor-client).
    static func localDate(_ text: String, fill: String = "0000-00-00 23:59:59") -> Date? {
        guard text.count <= fill.count else { return nil }
        let complete = text + fill.dropFirst(text.count)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone.current
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.date(from: complete)
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}
