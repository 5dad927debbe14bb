import DepotModel
import DepotWire

extension WireMapper {
    static func keyValueStore(_ store: KeyValueStore) -> KeyValueStoreDTO {
        var dto = KeyValueStoreDTO()
        dto.name = store.name
        dto.props = store.props.nonEmpty
        return dto
    }
}
