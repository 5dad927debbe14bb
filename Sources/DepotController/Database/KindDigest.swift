import Crypto
import DepotStore
import Foundation

/// How many objects of one kind a database holds, and a checksum of them: what `migrate-db` and
/// an export's import compare between two databases.
struct KindDigest: Sendable, Equatable, Codable {
    var count: Int
    /// SHA-256 (hex) over the objects' JSON, in key order.
    var sha256: String

    /// The digest of every kind in `cluster`, by table.
    static func digests(of cluster: StoredCluster) throws -> [String: KindDigest] {
        var digests: [String: KindDigest] = [:]
        for kind in StoredKinds.all {
            digests[kind.storage.table] = try Self.digest(cluster.objects(of: kind))
        }
        return digests
    }

    /// Objects are hashed in key order, each as canonical JSON: keys sorted, and arrays of plain
    /// values sorted too, because Swift encodes a set in an order that differs between processes.
    /// (Two objects that differ only in the order of such an array hash alike; `migrate-db` also
    /// compares the objects themselves.)
    static func digest(_ objects: [any StoredObject]) throws -> KindDigest {
        let encoder = JSONEncoder()
        var hash = SHA256()
        for object in objects.sorted(by: { $0.key.columnValues.lexicographicallyPrecedes($1.key.columnValues) }) {
            let json = try JSONSerialization.jsonObject(with: try encoder.encode(object), options: [.fragmentsAllowed])
            hash.update(data: try JSONSerialization.data(withJSONObject: Self.canonical(json), options: [.sortedKeys, .fragmentsAllowed]))
            hash.update(data: Data([0x0A]))
        }
        return KindDigest(count: objects.count, sha256: hash.finalize().map { String(format: "%02x", $0) }.joined())
    }

    private static func canonical(_ value: Any) -> Any {
        switch value {
        case let dictionary as [String: Any]:
            return dictionary.mapValues(Self.canonical)
        case let array as [Any]:
            let values = array.map(Self.canonical)
            if let strings = values as? [String] { return strings.sorted() }
            if let numbers = values as? [NSNumber], !numbers.isEmpty { return numbers.sorted { $0.compare($1) == .orderedAscending } }
            return values
        default:
            return value
        }
    }
}
