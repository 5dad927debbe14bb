import DepotStore
import HashTreeCollections

/// One stored kind's objects in the model, by key.
typealias ObjectTable<Object: StoredObject> = TreeDictionary<Object.Key, Object>

/// A table of ``ClusterModel`` whose kind is not known to the caller (load walks them all).
protocol ModelTable {
    /// Puts the loaded objects of the table's kind into `model`.
    func load(_ stored: StoredCluster, into model: inout ClusterModel)
}

/// Where ``ClusterModel`` keeps the objects of one kind.
struct Table<Object: StoredObject>: ModelTable {
    let path: WritableKeyPath<ClusterModel, ObjectTable<Object>>

    init(_ path: WritableKeyPath<ClusterModel, ObjectTable<Object>>) {
        self.path = path
    }

    func load(_ stored: StoredCluster, into model: inout ClusterModel) {
        for object in stored[Object.self] { model[keyPath: self.path][object.key] = object }
    }
}
