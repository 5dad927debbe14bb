import DepotModel
import DepotWire

extension WireMapper {
    static func nodeConnection(_ connection: NodeConnection) -> NodeConnectionDTO {
        var dto = NodeConnectionDTO()
        dto.nodeA = connection.nodeA
        dto.nodeB = connection.nodeB
        dto.props = connection.props.nonEmpty
        return dto
    }

    static func resourceConnection(_ connection: ResourceConnection) -> ResourceConnectionDTO {
        var dto = ResourceConnectionDTO()
        dto.nodeA = connection.nodeA
        dto.nodeB = connection.nodeB
        dto.props = connection.props.nonEmpty
        dto.flags = connection.flags.isEmpty ? nil : connection.flags.sorted()
        return dto
    }
}
