import DepotModel
import HashTreeCollections

extension ClusterTransaction {
    /// `PUT /v1/node-connections/{a}/{b}`: the connection comes into being with its first change.
    mutating func modifyNodeConnection(_ nodeAName: String, _ nodeBName: String, _ change: PropertyChange) throws(DepotError) -> [Reply] {
        let (nodeA, nodeB) = try self.connectionNodes(nodeAName, nodeBName)
        let key = ConnectionKey(nodeA.key, nodeB.key)
        var connection = self.model.nodeConnections[key] ?? NodeConnection(nodeA: nodeA.name, nodeB: nodeB.name)
        let missing = try change.apply(to: &connection.props, owner: .nodeConnection)
        try Self.validatePaths(connection.props, between: nodeA, and: nodeB)
        self.put(connection)
        let title = "node connection between '\(connection.nodeA)' and '\(connection.nodeB)'"
        return [
            Reply(.modified, "Properties of the \(title) modified.", objectReferences: ["Node": connection.nodeA, "Node2": connection.nodeB])
        ] + missing.map { Reply(.warnDeleteUnsetProperty, "Property '\($0)' was not set on the \(title).") }
    }

    /// `PUT /v1/resource-definitions/{r}/resource-connections/{a}/{b}`: both replicas must exist.
    mutating func modifyResourceConnection(
        _ resourceName: String, _ nodeAName: String, _ nodeBName: String, _ change: PropertyChange
    ) throws(DepotError) -> [Reply] {
        let definition = try self.model.resourceDefinition(resourceName)
        let (nodeA, nodeB) = try self.connectionNodes(nodeAName, nodeBName)
        _ = try self.model.resource(definition.name, on: nodeA.name)
        _ = try self.model.resource(definition.name, on: nodeB.name)
        let key = ResourceConnectionKey(resource: definition.key, nodes: ConnectionKey(nodeA.key, nodeB.key))
        var connection =
            self.model.resourceConnections[key] ?? ResourceConnection(resourceName: definition.name, nodeA: nodeA.name, nodeB: nodeB.name)
        let missing = try change.apply(to: &connection.props, owner: .resourceConnection)
        try Self.validatePaths(connection.props, between: nodeA, and: nodeB)
        self.put(connection)
        let title = "resource connection of '\(definition.name)' between '\(connection.nodeA)' and '\(connection.nodeB)'"
        let references = ["RscDfn": definition.name, "Node": connection.nodeA, "Node2": connection.nodeB]
        return [Reply(.modified, "Properties of the \(title) modified.", objectReferences: references)]
            + missing.map { Reply(.warnDeleteUnsetProperty, "Property '\($0)' was not set on the \(title).") }
    }

    private func connectionNodes(_ nodeAName: String, _ nodeBName: String) throws(DepotError) -> (Node, Node) {
        let nodeA = try self.model.node(nodeAName)
        let nodeB = try self.model.node(nodeBName)
        guard nodeA.key != nodeB.key else {
            throw DepotError(
                .failInvalidRequest, "A connection needs two different nodes; '\(nodeA.name)' was given twice.",
                correction: "Name the two nodes the connection is between.", objectReferences: ["Node": nodeA.name])
        }
        return (nodeA, nodeB)
    }

    static func isPathName(_ name: String) -> Bool {
        (1...48).contains(name.count) && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }

    /// `Paths/<path>/<node>` must name one of the two nodes and one of that node's interfaces, and
    /// every path must name both nodes: DRBD needs an address on each side.
    static func validatePaths(_ props: [String: String], between nodeA: Node, and nodeB: Node) throws(DepotError) {
        var sides: [String: Set<ObjectKey>] = [:]
        for (key, interface) in props.sorted(by: { $0.key < $1.key }) where key.hasPrefix(ConnectionPath.prefix) {
            let parts = key.dropFirst(ConnectionPath.prefix.count).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, Self.isPathName(parts[0]) else {
                throw DepotError(
                    .failInvalidProperty, "Invalid property '\(key)'.", cause: "Path keys have the form 'Paths/<path name>/<node name>'.",
                    correction: "Use 'resource-connection path create' or 'node-connection path create'.")
            }
            let owner = ObjectKey(parts[1])
            guard let node = [nodeA, nodeB].first(where: { $0.key == owner }) else {
                throw DepotError(
                    .failInvalidProperty, "Invalid property '\(key)'.",
                    cause: "The connection is between '\(nodeA.name)' and '\(nodeB.name)', not '\(parts[1])'.")
            }
            guard node.netInterface(named: interface) != nil else {
                throw DepotError(
                    .failNotFoundNetInterface, "Node '\(node.name)' has no network interface '\(interface)' for path '\(parts[0])'.",
                    cause: "Interfaces of '\(node.name)': " + node.netInterfaces.map(\.name).joined(separator: ", "),
                    correction: "Create the interface first ('node interface create'), or name an existing one.",
                    objectReferences: ["Node": node.name])
            }
            sides[parts[0], default: []].insert(owner)
        }
        if let (path, _) = sides.sorted(by: { $0.key < $1.key }).first(where: { $0.value.count < 2 }) {
            throw DepotError(
                .failInvalidProperty, "Path '\(path)' names an interface on only one of '\(nodeA.name)' and '\(nodeB.name)'.",
                correction: "Give the path an interface on both nodes.")
        }
    }
}
