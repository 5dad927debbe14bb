public import Foundation
import Synchronization

/// Decoding a kind's JSON documents, the same for every backend that keeps documents.
public enum StoredDocuments {
    /// Decodes `rows` on all cores: JSON decoding dominates a cold start at scale. A row that
    /// does not decode is reported as damaged; the others still load.
    public static func decode<Object: StoredObject>(_ rows: [(key: [String], data: Data)], as kind: Object.Type) -> LoadedRows {
        let table = Object.storage.table
        let chunkCount = max(1, min(rows.count / 256, ProcessInfo.processInfo.activeProcessorCount * 4))
        let chunkSize = (rows.count + chunkCount - 1) / chunkCount
        let results = Mutex<[Int: LoadedRows]>([:])
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let decoder = JSONDecoder()
            let range = (chunk * chunkSize)..<min(rows.count, (chunk + 1) * chunkSize)
            var loaded = LoadedRows()
            loaded.objects.reserveCapacity(range.count)
            for index in range {
                do {
                    loaded.objects.append(try decoder.decode(Object.self, from: rows[index].data))
                } catch {
                    loaded.damaged.append(DamagedRow(table: table, key: rows[index].key, reason: DamagedRow.reason(decoding: error)))
                }
            }
            results.withLock { $0[chunk] = loaded }
        }
        return results.withLock { results in
            (0..<chunkCount).reduce(into: LoadedRows()) { all, chunk in
                all.objects += results[chunk]?.objects ?? []
                all.damaged += results[chunk]?.damaged ?? []
            }
        }
    }
}
