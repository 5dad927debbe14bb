import DepotModel
import DepotWire
import HashTreeCollections
import Hummingbird

extension RESTRoutes {
    /// LINSTOR answers key-value store calls outside its usual response context, so their ret_codes
    /// carry no operation or object masks (`DELETED` is 2, an invalid name `FAIL_INVLD_KVS_NAME`
    /// alone); only a modify's success sets its own (``ClusterTransaction/modifyKeyValueStore(_:)``).
    private static let keyValueStoreContext = CallContext(.none, .none)

    func registerKeyValueStores(on router: Router<Context>) {
        router.get("/v1/key-value-store") { _, _ in
            APIResponse.json(self.snapshot.model.keyValueStores.values.sorted { $0.key < $1.key }.map(WireMapper.keyValueStore))
        }
        // One instance, still as a list; the name is matched case-insensitively and not validated,
        // so an impossible name is simply not found.
        router.get("/v1/key-value-store/:instance") { _, context in
            let name = self.parameter(context, "instance")
            guard let store = self.snapshot.model.keyValueStores[ObjectKey(name)] else {
                return APIResponse.error(
                    DepotError(
                        .failNotFoundKeyValueStore, "Key-value store '\(name)' not found.",
                        cause: "No key-value store of that name holds a property.",
                        correction: "Set a property to create it: PUT /v1/key-value-store/\(name) with 'override_props'."),
                    Self.keyValueStoreContext)
            }
            return APIResponse.json([WireMapper.keyValueStore(store)])
        }
        router.put("/v1/key-value-store/:instance") { request, context in
            let name = self.parameter(context, "instance")
            return await self.run(request, KeyValueStoreModifyDTO.self, Self.keyValueStoreContext) { body, transaction throws(DepotError) in
                try transaction.modifyKeyValueStore(WireMapper.keyValueStoreModification(name, body))
            }
        }
        router.delete("/v1/key-value-store/:instance") { _, context in
            let name = self.parameter(context, "instance")
            return await self.run(Self.keyValueStoreContext) { (transaction: inout ClusterTransaction) throws(DepotError) -> [Reply] in
                try transaction.deleteKeyValueStore(name)
            }
        }
    }
}
