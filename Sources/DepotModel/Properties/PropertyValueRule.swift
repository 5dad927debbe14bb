import Foundation
import Synchronization

/// What values a property key takes, with LINSTOR's value types (the `prop_type` of
/// `…/properties/info`).
public enum PropertyValueRule: Sendable {
    /// Any text.
    case string
    /// Any signed 64-bit integer.
    case long
    /// An integer within the bounds.
    case range(ClosedRange<Int64>)
    /// A decimal number within the bounds.
    case rangeFloat(ClosedRange<Double>)
    /// Text the whole of which matches the regular expression.
    case regex(String)
    /// One of the words, spelled exactly.
    case symbol([String])
    /// `true`, `false`, `yes` or `no`, in any case.
    case booleanTrueFalse
    /// `LOW-HIGH` within the bounds, LOW ≤ HIGH (TCP ports, DRBD minor numbers).
    case allocationRange(ClosedRange<Int>)
    /// A decimal number of at least zero (Depot's autoplacer weights).
    case decimal
    /// A DRBD option, checked by DRBD's own rules (sizes may carry K, M, G).
    case drbdOption(DRBDOptionCatalog.Option)

    /// Why `value` is not valid, or `nil` when it is.
    public func problem(with value: String) -> String? {
        switch self {
        case .string:
            return nil
        case .long:
            return Int64(value) == nil ? "expected a whole number" : nil
        case .range(let bounds):
            return Int64(value).map(bounds.contains) == true ? nil : "expected a whole number from \(bounds.lowerBound) to \(bounds.upperBound)"
        case .rangeFloat(let bounds):
            return Double(value).map(bounds.contains) == true ? nil : "expected a number from \(bounds.lowerBound) to \(bounds.upperBound)"
        case .regex(let pattern):
            let matches = PatternCache.shared.expression(pattern).map { Self.wholeMatch($0, value) } ?? false
            return matches ? nil : "expected text matching \(pattern)"
        case .symbol(let words):
            return words.contains(value) ? nil : "expected one of " + words.joined(separator: ", ")
        case .booleanTrueFalse:
            return ["true", "false", "yes", "no"].contains(value.lowercased()) ? nil : "expected true or false"
        case .allocationRange(let bounds):
            return AllocationRange.parse(value, within: bounds) != nil ? nil : "expected a range LOW-HIGH within \(bounds.lowerBound)-\(bounds.upperBound)"
        case .decimal:
            return Double(value).map { $0.isFinite && $0 >= 0 } == true ? nil : "expected a number of at least 0"
        case .drbdOption(let option):
            return option.problem(with: value).map { "the DRBD option '\(option.name)' \($0)" }
        }
    }

    private static func wholeMatch(_ expression: NSRegularExpression, _ value: String) -> Bool {
        expression.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
    }

    /// A valid value as LINSTOR stores it: `true`/`false` for the true-or-false keys (so that `yes`
    /// reads as true wherever the controller reads the key), DRBD's `yes`/`no` in lower case.
    public func normalized(_ value: String) -> String {
        switch self {
        case .booleanTrueFalse:
            return ["true", "yes"].contains(value.lowercased()) ? "true" : "false"
        case .drbdOption(let option):
            if case .boolean = option.kind { return value.lowercased() }
            return value
        default:
            return value
        }
    }

    /// LINSTOR's name for the type (`prop_type`).
    public var typeName: String {
        switch self {
        case .string: "string"
        case .long: "long"
        case .range: "range"
        case .rangeFloat: "range_float"
        case .regex, .symbol, .allocationRange, .decimal: "regex"
        case .booleanTrueFalse: "boolean_true_false"
        case .drbdOption(let option):
            switch option.kind {
            case .text: "string"
            case .boolean: "boolean"
            case .choice: "regex"
            case .number: "range"
            case .numberOrChoice: "numeric_or_symbol"
            }
        }
    }

    /// What values are allowed, as LINSTOR words it (`value`): the pattern, the bounds, or nothing
    /// for free text and plain integers.
    public var allowedValues: String? {
        switch self {
        case .string, .long: nil
        case .range(let bounds): "(\(bounds.lowerBound) - \(bounds.upperBound))"
        case .rangeFloat(let bounds): "(\(bounds.lowerBound) - \(bounds.upperBound))"
        case .regex(let pattern): pattern
        case .symbol(let words): Self.alternatives(words)
        case .booleanTrueFalse: "(?i)(?:true|false|yes|no)"
        case .allocationRange: "[0-9]+-[0-9]+"
        case .decimal: "[0-9]+([.][0-9]+)?"
        case .drbdOption(let option):
            switch option.kind {
            case .text: nil
            case .boolean: "(?i)(?:yes|no)"
            case .choice(let words): Self.alternatives(words)
            case .number(let bounds, _): "(\(bounds.lowerBound) - \(bounds.upperBound))"
            case .numberOrChoice(let bounds, let words): "(\(bounds.lowerBound) - \(bounds.upperBound)) or " + Self.alternatives(words)
            }
        }
    }

    /// The words a symbol takes, for help texts.
    public var symbols: [String]? {
        switch self {
        case .symbol(let words): words
        case .drbdOption(let option):
            switch option.kind {
            case .choice(let words), .numberOrChoice(_, let words): words
            default: nil
            }
        default: nil
        }
    }

    private static func alternatives(_ words: [String]) -> String {
        "(?:" + words.joined(separator: "|") + ")"
    }
}

/// The rules' patterns, each compiled once: compiling one for every property a request set took a
/// twentieth of the controller's time while definitions were created.
private final class PatternCache: Sendable {
    static let shared = PatternCache()

    private let compiled = Mutex<[String: NSRegularExpression?]>([:])

    func expression(_ pattern: String) -> NSRegularExpression? {
        if let known = self.compiled.withLock({ $0[pattern] }) { return known }
        // Anchored at both ends: the whole value must match, as Java's `Pattern.matches` (LINSTOR's check) asks.
        let expression = try? NSRegularExpression(pattern: "^(?:\(pattern))$")
        self.compiled.withLock { $0[pattern] = expression }
        return expression
    }
}
