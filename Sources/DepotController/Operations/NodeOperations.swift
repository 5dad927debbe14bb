import DepotModel
import Foundation
import HashTreeCollections

extension ClusterTransaction {
    /// `POST /v1/nodes`: registers a node with its first interface and its diskless pool.
    mutating func createNode(_ request: NewNode) throws(DepotError) -> [Reply] {
        let name = try Lookup.validName(request.name, .node)
        guard let type = NodeType(caseInsensitive: request.type) else {
            throw DepotError(
                .failInvalidNodeType, "Invalid node type '\(request.type)'.",
                correction: "Use one of: Controller, Satellite, Combined, Auxiliary.")
        }
        guard self.model.nodes[ObjectKey(name)] == nil else {
            throw DepotError(
                .failExistsNode, "A node with the name '\(name)' already exists.",
                cause: "Node names are unique (case-insensitively).", objectReferences: ["Node": name])
        }
        var props: [String: String] = [:]
        _ = try PropertyChange(overrideProps: request.props).apply(to: &props, owner: .node)
        var interfaces: [NetInterface] = []
        for settings in request.netInterfaces {
            let interface = try Self.makeNetInterface(settings, node: name, requirePort: false)
            guard !interfaces.contains(where: { ObjectKey($0.name) == ObjectKey(interface.name) }) else {
                throw DepotError(.failExistsNetInterface, "Net interface '\(interface.name)' is given twice for node '\(name)'.")
            }
            interfaces.append(interface)
        }
        if type != .auxiliary, !interfaces.contains(where: { $0.satellitePort != nil }), !interfaces.isEmpty {
            // As python-linstor does: the first interface reaches the satellite on the default plain port.
            interfaces[0].satellitePort = EncryptionType.plain.defaultSatellitePort
            interfaces[0].encryptionType = .plain
        }
        if type != .auxiliary, interfaces.isEmpty {
            throw DepotError(
                .failMissingNetcom, "Node '\(name)' needs a net interface.",
                cause: "The controller reaches a node's satellite through one of its net interfaces.",
                correction: "Give the node an address (and, if not default, the port and encryption type).",
                objectReferences: ["Node": name])
        }
        var node = Node(name: name, type: type, props: props, netInterfaces: interfaces, uuid: request.uuid ?? Identifier.makeUUID())
        if node.props["CurStltConnName"] == nil, let active = node.activeSatelliteInterface {
            node.props["CurStltConnName"] = active
        }
        self.put(node)
        if type.runsSatellite {
            self.ensureDisklessPool(on: node)
        }
        return [
            Reply(
                .created, "New node '\(name)' registered.", details: "Node '\(name)' UUID is: \(node.uuid)",
                objectReferences: ["Node": name])
        ]
    }

    /// Every satellite node has LINSTOR's default diskless pool, so diskless resources need no setup.
    private mutating func ensureDisklessPool(on node: Node) {
        let poolName = DefaultStoragePool.diskless
        if self.model.storagePoolDefinitions[ObjectKey(poolName)] == nil {
            self.put(StoragePoolDefinition(name: poolName, uuid: Identifier.makeUUID()))
        }
        let pool = StoragePool(
            nodeName: node.name, name: poolName, providerKind: .diskless, props: [:], freeSpaceManagerName: nil,
            externalLocking: false, uuid: Identifier.makeUUID())
        self.put(pool)
    }

    /// `PUT /v1/nodes/{node}`.
    mutating func modifyNode(_ name: String, _ modification: NodeModification) throws(DepotError) -> [Reply] {
        var node = try self.model.node(name)
        if let typeName = modification.type {
            guard let type = NodeType(caseInsensitive: typeName) else {
                throw DepotError(.failInvalidNodeType, "Invalid node type '\(typeName)'.")
            }
            node.type = type
        }
        let missing = try modification.props.apply(to: &node.props, owner: .node)
        self.put(node)
        return [Reply(.modified, "Node '\(node.name)' modified.", details: "Node '\(node.name)' UUID is: \(node.uuid)", objectReferences: ["Node": node.name])]
            + missing.map { Reply(.warnDeleteUnsetProperty, "Property '\($0)' was not set on node '\(node.name)'.") }
    }

    /// `DELETE /v1/nodes/{node}`: refused while the node holds resources, so no replica disappears by accident.
    mutating func deleteNode(_ name: String) throws(DepotError) -> [Reply] {
        guard let node = self.model.nodes[ObjectKey(name)] else { return [Reply.alreadyGone("Node '\(name)'", ["Node": name])] }
        let resources = self.model.resources(onNode: node.key)
        guard resources.isEmpty else {
            let names = resources.map(\.resourceName)
            throw DepotError(
                .failNodeHasUsedResource, "Node '\(node.name)' still has resources: \(names.prefix(10).joined(separator: ", "))\(names.count > 10 ? ", …" : "").",
                cause: "Deleting a node must not silently remove replicas.",
                correction: "Delete the node's resources first (or move them away), or use 'node lost' for a node that is gone for good.",
                objectReferences: ["Node": node.name])
        }
        self.removeNodeWithPools(node)
        return [Reply(.deleted, "Node '\(node.name)' deleted.", details: "Node '\(node.name)' UUID was: \(node.uuid)", objectReferences: ["Node": node.name])]
    }

    /// `DELETE /v1/nodes/{node}/lost`: forgets a dead node together with its resources, then places
    /// replacements so that each definition has its group's place count again.
    mutating func loseNode(_ name: String) throws(DepotError) -> [Reply] {
        guard let node = self.model.nodes[ObjectKey(name)] else { return [Reply.alreadyGone("Node '\(name)'", ["Node": name])] }
        guard !self.isOnline(node.key) else {
            throw DepotError(
                .failExistsNodeConnection, "Node '\(node.name)' still connected, please use the 'DeleteNode' api.",
                cause: "'node lost' is for nodes that are gone; this one's satellite is connected.",
                correction: "Move or delete its resources and use 'node delete \(node.name)'.", objectReferences: ["Node": node.name])
        }
        var replies: [Reply] = []
        var affected: [ObjectKey] = []
        for resource in self.model.resources(onNode: node.key) {
            self.removeResource(resource.key)
            affected.append(resource.key.resource)
            replies.append(
                Reply(.deleted, "Resource '\(resource.resourceName)' on lost node '\(node.name)' removed.", objectReferences: ["Node": node.name, "RscDfn": resource.resourceName]))
        }
        self.removeNodeWithPools(node)
        replies.append(Reply(.deleted, "Node '\(node.name)' deleted.", details: "Node '\(node.name)' UUID was: \(node.uuid)", objectReferences: ["Node": node.name]))
        for key in affected {
            guard let definition = self.model.resourceDefinitions[key] else { continue }
            if definition.flags.contains(ResourceFlag.delete) {
                if (self.model.resourcesByDefinition[key] ?? []).isEmpty {
                    self.removeResourceDefinition(key)
                    replies.append(Reply(.deleted, "Resource definition '\(definition.name)' deleted.", objectReferences: ["RscDfn": definition.name]))
                }
                continue
            }
            replies += try self.updateDRBDAutomation(of: key)
            // Only replicated data can be copied back to the count; a lost single copy is gone.
            let group = self.model.resourceGroups[ObjectKey(definition.resourceGroupName)]
            let diskfulLeft = self.model.resources(ofDefinition: key).contains { !$0.isDiskless && !$0.flags.contains(ResourceFlag.delete) }
            guard group?.selectFilter.placeCount != nil, definition.layerStack.first == .drbd, diskfulLeft else { continue }
            replies += try self.autoPlace(definition.name, AutoSelectFilter(), failQuietly: true)
        }
        return replies
    }

    private mutating func removeNodeWithPools(_ node: Node) {
        for pool in self.model.storagePools.values where ObjectKey(pool.nodeName) == node.key {
            self.removeStoragePool(pool.key)
        }
        self.revokeSatelliteToken(of: node)
        self.removeNode(node.key)
    }

    /// `POST /v1/nodes/{node}/net-interfaces`.
    mutating func createNetInterface(_ nodeName: String, _ settings: NetInterfaceSettings) throws(DepotError) -> [Reply] {
        var node = try self.model.node(nodeName)
        let interface = try Self.makeNetInterface(settings, node: node.name, requirePort: false)
        guard node.netInterface(named: interface.name) == nil else {
            throw DepotError(
                .failExistsNetInterface, "Net interface '\(interface.name)' already exists on node '\(node.name)'.",
                objectReferences: ["Node": node.name, "NetIf": interface.name])
        }
        node.netInterfaces.append(interface)
        if settings.isActive || node.activeSatelliteInterface == nil, interface.satellitePort != nil {
            node.activeSatelliteInterface = interface.name
            node.props["CurStltConnName"] = interface.name
        }
        self.put(node)
        return [
            Reply(
                .created, "New net interface '\(interface.name)' on node '\(node.name)' created.",
                details: "Net interface '\(interface.name)' on node '\(node.name)' UUID is: \(interface.uuid)",
                objectReferences: ["Node": node.name, "NetIf": interface.name])
        ]
    }

    /// `PUT /v1/nodes/{node}/net-interfaces/{netif}`.
    mutating func modifyNetInterface(_ nodeName: String, _ interfaceName: String, _ settings: NetInterfaceSettings) throws(DepotError) -> [Reply] {
        var node = try self.model.node(nodeName)
        guard let index = node.netInterfaces.firstIndex(where: { ObjectKey($0.name) == ObjectKey(interfaceName) }) else {
            throw Self.netInterfaceNotFound(interfaceName, node.name)
        }
        var interface = node.netInterfaces[index]
        if let address = settings.address {
            interface.address = try Self.validAddress(address)
        }
        if let port = settings.satellitePort {
            interface.satellitePort = try Self.validPort(port)
            interface.encryptionType = try Self.encryption(settings.encryptionType) ?? interface.encryptionType ?? .plain
        } else if let type = try Self.encryption(settings.encryptionType) {
            interface.encryptionType = type
        }
        node.netInterfaces[index] = interface
        if settings.isActive {
            guard interface.satellitePort != nil else {
                throw DepotError(
                    .failInvalidNetPort, "Net interface '\(interface.name)' cannot become the satellite connection.",
                    cause: "It has no satellite port.", correction: "Give the interface a satellite port and encryption type.")
            }
            node.activeSatelliteInterface = interface.name
            node.props["CurStltConnName"] = interface.name
        }
        self.put(node)
        return [
            Reply(
                .modified, "Net interface '\(interface.name)' on node '\(node.name)' modified.",
                details: "Net interface '\(interface.name)' on node '\(node.name)' UUID is: \(interface.uuid)",
                objectReferences: ["Node": node.name, "NetIf": interface.name])
        ]
    }

    /// `DELETE /v1/nodes/{node}/net-interfaces/{netif}`: the satellite connection cannot be removed.
    mutating func deleteNetInterface(_ nodeName: String, _ interfaceName: String) throws(DepotError) -> [Reply] {
        var node = try self.model.node(nodeName)
        guard let index = node.netInterfaces.firstIndex(where: { ObjectKey($0.name) == ObjectKey(interfaceName) }) else {
            return [Reply.alreadyGone("Net interface '\(interfaceName)' on node '\(node.name)'", ["Node": node.name, "NetIf": interfaceName])]
        }
        let interface = node.netInterfaces[index]
        if let active = node.activeSatelliteInterface, ObjectKey(active) == ObjectKey(interface.name) {
            throw DepotError(
                .failInUse, "Net interface '\(interface.name)' of node '\(node.name)' is the satellite connection.",
                cause: "The controller reaches the satellite through this interface.",
                correction: "Make another interface active first (net-interface modify --active).",
                objectReferences: ["Node": node.name, "NetIf": interface.name])
        }
        node.netInterfaces.remove(at: index)
        self.put(node)
        return [
            Reply(
                .deleted, "Net interface '\(interface.name)' on node '\(node.name)' deleted.",
                details: "Net interface '\(interface.name)' on node '\(node.name)' UUID was: \(interface.uuid)",
                objectReferences: ["Node": node.name, "NetIf": interface.name])
        ]
    }

    static func netInterfaceNotFound(_ name: String, _ node: String) -> DepotError {
        DepotError(
            .failNotFoundNetInterface, "Net interface '\(name)' on node '\(node)' not found.",
            objectReferences: ["Node": node, "NetIf": name])
    }

    static func makeNetInterface(_ settings: NetInterfaceSettings, node: String, requirePort: Bool) throws(DepotError) -> NetInterface {
        let name = try Lookup.validName(settings.name, .netInterface)
        guard let address = settings.address else {
            throw DepotError(.failInvalidNetAddress, "Net interface '\(name)' of node '\(node)' has no address.")
        }
        var port: Int?
        var encryption = try Self.encryption(settings.encryptionType)
        if let given = settings.satellitePort {
            port = try Self.validPort(given)
            encryption = encryption ?? .plain
        } else if let type = encryption {
            port = type.defaultSatellitePort
        }
        return NetInterface(
            name: name, address: try Self.validAddress(address), satellitePort: port, encryptionType: port == nil ? nil : encryption,
            uuid: settings.uuid ?? Identifier.makeUUID())
    }

    static func validAddress(_ text: String) throws(DepotError) -> String {
        var v4 = in_addr()
        var v6 = in6_addr()
        guard inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1 else {
            throw DepotError(
                .failInvalidNetAddress, "Invalid IP address '\(text)'.",
                correction: "Give an IPv4 or IPv6 address (host names are not accepted).")
        }
        return text
    }

    static func validPort(_ port: Int) throws(DepotError) -> Int {
        guard (1...65535).contains(port) else {
            throw DepotError(.failInvalidNetPort, "Invalid port \(port).", correction: "Give a port from 1 to 65535.")
        }
        return port
    }

    static func encryption(_ text: String?) throws(DepotError) -> EncryptionType? {
        guard let text else { return nil }
        guard let type = EncryptionType(caseInsensitive: text) else {
            throw DepotError(.failInvalidNetType, "Invalid encryption type '\(text)'.", correction: "Use Plain or SSL.")
        }
        return type
    }
}

extension Node {
    /// Set by the controller from the satellite's host name, as LINSTOR does; not set by users.
    static let unameKey = "NodeUname"
}

extension ClusterTransaction {
    /// Keeps the satellite's host name in the node's `NodeUname` property.
    mutating func recordHostname(_ hostname: String, of key: ObjectKey) -> [Reply] {
        guard var node = self.model.nodes[key], node.props[Node.unameKey] != hostname else { return [] }
        node.props[Node.unameKey] = hostname
        self.put(node)
        return [Reply(.modified, "Node '\(node.name)' answers as host '\(hostname)'.", objectReferences: ["Node": node.name])]
    }
}
