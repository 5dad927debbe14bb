import DepotModel
import DepotWire

extension WireMapper {
    /// The modify body as a request. A `null` value is refused here as LINSTOR refuses it, as an
    /// invalid value (`FAIL_INVLD_PROP`) rather than unparsable JSON.
    static func keyValueStoreModification(_ name: String, _ dto: KeyValueStoreModifyDTO) throws(DepotError) -> KeyValueStoreModification {
        var values: [String: String] = [:]
        for (key, value) in (dto.overrideProps ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let value else {
                throw DepotError(
                    .failInvalidProperty, "Invalid value for key '\(key)' of key-value store '\(name)'.",
                    cause: "The value is null; a key-value store holds text.",
                    correction: "Send a string, or list the key in 'delete_props' to remove it.")
            }
            values[key] = value
        }
        return KeyValueStoreModification(
            name: name, props: PropertyChange(overrideProps: values, deleteProps: dto.deleteProps ?? [], deleteNamespaces: dto.deleteNamespaces ?? []))
    }
}
