import DepotModel
import HashTreeCollections

extension ClusterTransaction {
    /// `PUT /v1/key-value-store/{instance}`: sets and deletes properties, creating the instance when
    /// it does not exist and removing it when no property is left (LINSTOR's `CtrlKvsApiCallHandler`).
    ///
    /// The answer's ret_code is LINSTOR's, controller-configuration masks included (`0x2100003`),
    /// whether the call created, changed or removed the instance.
    mutating func modifyKeyValueStore(_ request: KeyValueStoreModification) throws(DepotError) -> [Reply] {
        let name = try Lookup.validName(request.name, .keyValueStore)
        let existing = self.model.keyValueStores[ObjectKey(name)]
        var store = existing ?? KeyValueStore(name: name, uuid: Identifier.makeUUID())
        try store.apply(request.props)
        let code = ReturnCode.modified.inContext(.modify, .controllerConfig)
        if store.props.isEmpty {
            guard let existing else {
                return [Reply(code, "Key-value store '\(store.name)' would hold no properties; it was not created.")]
            }
            self.removeKeyValueStore(store.key)
            return [
                Reply(
                    code, "Key-value store '\(store.name)' has no properties left and was removed.",
                    details: "Key-value store '\(store.name)' UUID was: \(existing.uuid)")
            ]
        }
        if store != existing { self.put(store) }
        return [Reply(code, "Key-value store '\(store.name)' modified.", details: "Key-value store '\(store.name)' UUID is: \(store.uuid)")]
    }

    /// `DELETE /v1/key-value-store/{instance}`: an unknown instance is a warning, as in LINSTOR.
    mutating func deleteKeyValueStore(_ name: String) throws(DepotError) -> [Reply] {
        let name = try Lookup.validName(name, .keyValueStore)
        guard let store = self.model.keyValueStores[ObjectKey(name)] else {
            return [Reply.alreadyGone("Key-value store '\(name)'", [:])]
        }
        self.removeKeyValueStore(store.key)
        return [Reply(.deleted, "Key-value store '\(store.name)' deleted.", details: "Key-value store '\(store.name)' UUID was: \(store.uuid)")]
    }
}
