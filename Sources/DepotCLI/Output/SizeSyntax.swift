import Foundation

/// Sizes as LINSTOR's client reads and prints them (api-py `SizeCalc`).
enum SizeSyntax {
    /// Why a size was refused; the text is what LINSTOR prints.
    struct Failure: Error {
        let message: String
    }

    /// Unit names (lowercased) and their size in bytes. Single letters and `KiB`-style names are
    /// binary, `kB`-style names decimal; `S` is a 512-byte sector.
    static let units: [String: Int64] = [
        "b": 1, "s": 512,
        "k": 1 << 10, "kib": 1 << 10, "kb": 1000,
        "m": 1 << 20, "mib": 1 << 20, "mb": 1_000_000,
        "g": 1 << 30, "gib": 1 << 30, "gb": 1_000_000_000,
        "t": 1 << 40, "tib": 1 << 40, "tb": 1_000_000_000_000,
        "p": 1 << 50, "pib": 1 << 50, "pb": 1_000_000_000_000_000,
    ]

    static let validUnits = "B, S, K, kB, KiB, M, MB, MiB, G, GB, GiB, T, TB, TiB, P, PB, PiB"

    /// Parses `150m`, `1GiB`, `500MB`, `10` (default unit) to KiB, rounded up.
    ///
    /// As LINSTOR: leading digits, then everything up to the next digit is the unit (so `1.5G` and
    /// `10 GiB` are refused and `10G5` is 10 GiB).
    static func kibibytes(_ text: String, defaultUnit: String = "GiB") throws(Failure) -> Int64 {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty else { throw Failure(message: "Size is not a valid number") }
        let unitText = text.dropFirst(digits.count).prefix { !($0.isASCII && $0.isNumber) }
        let unitName = unitText.isEmpty ? defaultUnit : String(unitText)
        guard let unit = Self.units[unitName.lowercased()] else {
            throw Failure(message: "\"\(unitName)\" is not a valid unit!\nValid units: \(Self.validUnits)")
        }
        guard let value = Int64(digits) else { throw Failure(message: "Size is not a valid number") }
        let (bytes, overflow) = value.multipliedReportingOverflow(by: unit)
        guard !overflow else { throw Failure(message: "Size \(text) is too large") }
        return bytes / 1024 + (bytes % 1024 == 0 ? 0 : 1)
    }

    /// LINSTOR's `approximate_size_string`: the largest unit from KiB to PiB not above the value,
    /// whole numbers without decimals, others with two.
    static func approximate(kib: Int64) -> String {
        let units = ["KiB", "MiB", "GiB", "TiB", "PiB"]
        var unitIndex = 0
        var magnitude: Int64 = 1
        while unitIndex < units.count - 1, kib >= magnitude * 1024 {
            magnitude *= 1024
            unitIndex += 1
        }
        if kib % magnitude == 0 {
            return "\(kib / magnitude) \(units[unitIndex])"
        }
        return String(format: "%3.2f", Double(kib) / Double(magnitude)) + " " + units[unitIndex]
    }
}
