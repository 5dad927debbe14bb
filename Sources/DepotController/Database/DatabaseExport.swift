import DepotStore
import Foundation

/// The whole configuration as one JSON file, independent of the engine: what
/// `POST /v1/controller/database/export` writes and `depot-controller import-db` restores into a
/// new database of either engine.
///
/// Every kind is listed by its table with its objects, a count and a checksum, so a restore can
/// tell a truncated or edited file from a good one before it writes anything.
struct DatabaseExport: Sendable {
    static let format = "depot-database-export"
    static let formatVersion = 1

    var depotVersion: String
    var exportedAt: String
    var cluster: StoredCluster
    /// Rows that did not decode when exported: named, not included.
    var damaged: [DamagedRow]

    init(cluster: StoredCluster, depotVersion: String, exportedAt: Date = Date()) {
        self.depotVersion = depotVersion
        self.exportedAt = ISO8601DateFormatter().string(from: exportedAt)
        self.damaged = cluster.damaged
        self.cluster = cluster
        self.cluster.damaged = []
    }

    /// The file's bytes: pretty-printed, keys sorted.
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// Reads an export, checking its format, version, and every kind's count and checksum.
    static func decode(_ data: Data) throws(DatabaseToolError) -> DatabaseExport {
        let export: DatabaseExport
        do {
            export = try JSONDecoder().decode(DatabaseExport.self, from: data)
        } catch let error as DatabaseToolError {
            throw error
        } catch {
            throw DatabaseToolError("The file is not a Depot database export: \(DamagedRow.reason(decoding: error)).")
        }
        return export
    }
}

extension DatabaseExport: Codable {
    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { self.stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private enum Field: String, CodingKey {
        case format
        case formatVersion = "format_version"
        case depotVersion = "depot_version"
        case exportedAt = "exported_at"
        case kinds, digests, damaged
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Field.self)
        try container.encode(Self.format, forKey: .format)
        try container.encode(Self.formatVersion, forKey: .formatVersion)
        try container.encode(self.depotVersion, forKey: .depotVersion)
        try container.encode(self.exportedAt, forKey: .exportedAt)
        var kinds = container.nestedContainer(keyedBy: Key.self, forKey: .kinds)
        for kind in StoredKinds.all {
            try Self.encode(kind, of: self.cluster, into: &kinds)
        }
        try container.encode(try KindDigest.digests(of: self.cluster), forKey: .digests)
        try container.encode(self.damaged, forKey: .damaged)
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Field.self)
        guard try container.decodeIfPresent(String.self, forKey: .format) == Self.format else {
            throw DatabaseToolError("The file is not a Depot database export (its \"format\" is not \(Self.format)).")
        }
        let version = try container.decode(Int.self, forKey: .formatVersion)
        guard version <= Self.formatVersion else {
            throw DatabaseToolError("The export has format version \(version); this Depot reads up to \(Self.formatVersion). Import it with a newer Depot.")
        }
        self.depotVersion = try container.decode(String.self, forKey: .depotVersion)
        self.exportedAt = try container.decode(String.self, forKey: .exportedAt)
        self.damaged = try container.decodeIfPresent([DamagedRow].self, forKey: .damaged) ?? []
        let kinds = try container.nestedContainer(keyedBy: Key.self, forKey: .kinds)
        var cluster = StoredCluster()
        for kind in StoredKinds.all {
            cluster.set(try Self.decode(kind, from: kinds), of: kind)
        }
        let expected = try container.decode([String: KindDigest].self, forKey: .digests)
        let found = try KindDigest.digests(of: cluster)
        for kind in StoredKinds.all {
            let table = kind.storage.table
            guard let digest = expected[table] else { throw DatabaseToolError("The export has no checksum for \(table).") }
            guard digest == found[table] else {
                throw DatabaseToolError(
                    "The export's \(table) do not match its checksum (\(found[table]?.count ?? 0) objects, \(digest.count) recorded): "
                        + "the file is damaged or was edited. Use another export.")
            }
        }
        self.cluster = cluster
    }

    private static func encode<Object: StoredObject>(_ kind: Object.Type, of cluster: StoredCluster, into container: inout KeyedEncodingContainer<Key>) throws {
        let objects = cluster[kind].sorted { $0.key < $1.key }
        try container.encode(objects, forKey: Key(kind.storage.table))
    }

    private static func decode<Object: StoredObject>(_ kind: Object.Type, from container: KeyedDecodingContainer<Key>) throws -> [any StoredObject] {
        try container.decodeIfPresent([Object].self, forKey: Key(kind.storage.table)) ?? []
    }
}

/// Why a database tool (check, export, import, migration) could not do its work, phrased for the
/// administrator who ran it.
public struct DatabaseToolError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
