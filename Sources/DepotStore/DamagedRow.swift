import Foundation

/// A stored row the controller does not load: it does not decode, or it contradicts the rest of the
/// cluster (a resource on a node that does not exist, a port used twice).
///
/// One bad row must never keep the controller from starting (LINSTOR's users lose their whole
/// cluster to one): the controller serves everything else, shows the row as an error, and
/// `depot-controller check --repair` moves it aside into the quarantine, where it stays readable.
public struct DamagedRow: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The table the row is in.
    public let table: String
    /// The row's key column values, in the order of its kind's key columns.
    public let key: [String]
    /// What is wrong with it, for the administrator.
    public let reason: String

    public init(table: String, key: [String], reason: String) {
        self.table = table
        self.key = key
        self.reason = reason
    }

    public var description: String { "\(self.table) '\(self.key.joined(separator: "/"))': \(self.reason)" }
}

/// A row moved aside by ``ClusterStore/quarantine(_:)``: its content as it was stored, kept for
/// the administrator to read or restore by hand.
public struct QuarantinedRow: Sendable, Hashable, Codable {
    public let row: DamagedRow
    /// The row's stored content: the JSON document, or the columns as a JSON object.
    public let content: String
    /// When it was moved aside (ISO 8601).
    public let quarantinedAt: String

    public init(row: DamagedRow, content: String, quarantinedAt: String) {
        self.row = row
        self.content = content
        self.quarantinedAt = quarantinedAt
    }
}

extension DamagedRow {
    /// Why a row failed to decode, in one line: the path to the bad field and what was wrong.
    public static func reason(decoding error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let fields = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return fields.isEmpty ? "the document" : fields
        }
        switch decoding {
        case .keyNotFound(let key, let context):
            return "the field \(key.stringValue) is missing in \(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

/// How a quarantined row's key is kept in one text column: a JSON array of its key values.
public enum QuarantineKey {
    public static func encode(_ key: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(key), as: UTF8.self)
    }

    public static func decode(_ text: String) throws -> [String] {
        try JSONDecoder().decode([String].self, from: Data(text.utf8))
    }
}
