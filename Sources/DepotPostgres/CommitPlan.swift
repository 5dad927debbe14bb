import DepotStore

/// A commit's changes reduced to each key's last change, grouped by kind in the order the kinds
/// first appear.
///
/// Every change replaces or removes a whole row, so applying a batch in order leaves the same rows
/// as applying only each key's last change; grouped, a kind's changes become one batched delete
/// and one batched upsert, and no upsert meets its own key twice (which PostgreSQL refuses).
struct CommitPlan {
    struct KindChanges {
        let type: any StoredObject.Type
        var objects: [any StoredObject] = []
        var removals: [[String]] = []
    }

    private(set) var kinds: [KindChanges] = []

    init(_ changes: [StoreChange]) {
        var last: [String: [[String]: Int]] = [:]
        var order: [String] = []
        for (index, change) in changes.enumerated() {
            let table = change.kind.storage.table
            if last[table] == nil { order.append(table) }
            last[table, default: [:]][change.keyValues] = index
        }
        for table in order {
            guard let latest = last[table], let first = latest.values.min() else { continue }
            var kind = KindChanges(type: changes[first].kind)
            for index in latest.values.sorted() {
                let change = changes[index]
                if let object = change.object {
                    kind.objects.append(object)
                } else {
                    kind.removals.append(change.keyValues)
                }
            }
            self.kinds.append(kind)
        }
    }
}
