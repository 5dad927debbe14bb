import DepotModel
import HashTreeCollections

extension ClusterTransaction {
    /// `POST /v1/nodes/{node}/storage-pools`; creates the pool's definition with the first pool of that name.
    mutating func createStoragePool(_ nodeName: String, _ request: NewStoragePool) throws(DepotError) -> [Reply] {
        let node = try self.model.node(nodeName)
        let name = try Lookup.validName(request.name, .storagePool)
        guard let kind = ProviderKind(caseInsensitive: request.providerKind) else {
            throw DepotError(
                .failInvalidStorageDriver, "Invalid storage provider '\(request.providerKind)'.",
                cause: "Depot provides the kinds " + ProviderKind.allCases.map(\.rawValue).joined(separator: ", ") + ".",
                correction: "Choose one of these provider kinds.")
        }
        guard node.type.runsSatellite else {
            throw DepotError(
                .failInvalidNodeType, "Node '\(node.name)' of type \(node.type.rawValue) cannot have storage pools.",
                correction: "Create storage pools on SATELLITE or COMBINED nodes.")
        }
        try self.requireSupport(on: node, layers: [], provider: kind)
        let key = StoragePoolKey(node: node.key, pool: ObjectKey(name))
        guard self.model.storagePools[key] == nil else {
            throw DepotError(
                .failExistsStoragePool, "Storage pool '\(name)' already exists on node '\(node.name)'.",
                objectReferences: ["Node": node.name, "StorPool": name])
        }
        var props: [String: String] = [:]
        _ = try PropertyChange(overrideProps: request.props).apply(to: &props, owner: .storagePool)
        let driverKey = "StorDriver/StorPoolName"
        if kind.hasBackingStorage {
            guard let backing = props[driverKey], !backing.isEmpty else {
                throw DepotError(
                    .failMissingProps, "Storage pool '\(name)' of kind \(kind.rawValue) needs '\(driverKey)'.",
                    cause: "The property names the volume group, thin pool, zpool or directory to use.",
                    correction: "Set '\(driverKey)' (for example 'vg0', 'vg0/thinpool', 'tank' or '/var/lib/depot/pool').")
            }
            try Self.validateBackingName(backing, kind: kind)
        }
        if self.model.storagePoolDefinitions[ObjectKey(name)] == nil {
            self.put(StoragePoolDefinition(name: name, uuid: Identifier.makeUUID()))
        }
        let pool = StoragePool(
            nodeName: node.name, name: name, providerKind: kind, props: props,
            freeSpaceManagerName: request.freeSpaceManagerName, externalLocking: request.externalLocking,
            uuid: request.uuid ?? Identifier.makeUUID())
        self.put(pool)
        return [
            Reply(
                .created, "Storage pool '\(name)' on node '\(node.name)' registered.",
                details: "Storage pool '\(name)' on node '\(node.name)' UUID is: \(pool.uuid)",
                objectReferences: ["Node": node.name, "StorPool": name])
        ]
    }

    /// Backing names reach `lvcreate`, `zfs` and the file system: only plain names and paths pass.
    static func validateBackingName(_ text: String, kind: ProviderKind) throws(DepotError) {
        let allowed = text.unicodeScalars.allSatisfy { scalar in
            (scalar.value >= 48 && scalar.value <= 57) || (scalar.value >= 65 && scalar.value <= 90)
                || (scalar.value >= 97 && scalar.value <= 122) || "_-+./".unicodeScalars.contains(scalar)
        }
        let isPath = kind == .file || kind == .fileThin
        guard allowed, !text.hasPrefix("-"), !text.contains(".."), isPath ? text.hasPrefix("/") : !text.hasPrefix("/") else {
            throw DepotError(
                .failInvalidProperty, "Invalid backing pool name '\(text)' for a \(kind.rawValue) storage pool.",
                cause: isPath
                    ? "FILE pools need an absolute directory path of letters, digits and _ - + . /"
                    : "Volume group, thin pool and zpool names consist of letters, digits and _ - + . /",
                correction: "Give the name of an existing pool on the node.")
        }
    }

    /// `PUT /v1/nodes/{node}/storage-pools/{pool}`.
    mutating func modifyStoragePool(_ nodeName: String, _ poolName: String, _ change: PropertyChange) throws(DepotError) -> [Reply] {
        var pool = try self.model.storagePool(poolName, on: nodeName)
        let missing = try change.apply(to: &pool.props, owner: .storagePool)
        if pool.providerKind.hasBackingStorage {
            guard let backing = pool.props["StorDriver/StorPoolName"] else {
                throw DepotError(.failMissingProps, "'StorDriver/StorPoolName' cannot be removed from storage pool '\(pool.name)'.")
            }
            try Self.validateBackingName(backing, kind: pool.providerKind)
        }
        self.put(pool)
        return [
            Reply(
                .modified, "Storage pool '\(pool.name)' on node '\(pool.nodeName)' modified.",
                details: "Storage pool '\(pool.name)' on node '\(pool.nodeName)' UUID is: \(pool.uuid)",
                objectReferences: ["Node": pool.nodeName, "StorPool": pool.name])
        ] + missing.map { Reply(.warnDeleteUnsetProperty, "Property '\($0)' was not set on storage pool '\(pool.name)'.") }
    }

    /// `DELETE /v1/nodes/{node}/storage-pools/{pool}`: refused while volumes live in the pool.
    mutating func deleteStoragePool(_ nodeName: String, _ poolName: String) throws(DepotError) -> [Reply] {
        guard let pool = self.model.storagePools[StoragePoolKey(node: ObjectKey(nodeName), pool: ObjectKey(poolName))] else {
            return [Reply.alreadyGone("Storage pool '\(poolName)' on node '\(nodeName)'", ["Node": nodeName, "StorPool": poolName])]
        }
        guard pool.key.pool != ObjectKey(DefaultStoragePool.diskless) else {
            throw DepotError(
                .failInvalidStoragePoolName, "The default diskless storage pool cannot be deleted.",
                cause: "Diskless resources of node '\(pool.nodeName)' need '\(DefaultStoragePool.diskless)'.",
                objectReferences: ["Node": pool.nodeName, "StorPool": pool.name])
        }
        let users = self.model.resources(onNode: pool.key.node).filter { resource in
            resource.volumes.values.contains { ObjectKey($0.storagePoolName) == pool.key.pool }
        }
        guard users.isEmpty else {
            throw DepotError(
                .failInUse, "Storage pool '\(pool.name)' on node '\(pool.nodeName)' still holds volumes.",
                cause: "Used by resources: " + users.map(\.resourceName).prefix(10).joined(separator: ", "),
                correction: "Delete or move these resources first.",
                objectReferences: ["Node": pool.nodeName, "StorPool": pool.name])
        }
        self.removeStoragePool(pool.key)
        return [
            Reply(
                .deleted, "Storage pool '\(pool.name)' on node '\(pool.nodeName)' deleted.",
                details: "Storage pool '\(pool.name)' on node '\(pool.nodeName)' UUID was: \(pool.uuid)",
                objectReferences: ["Node": pool.nodeName, "StorPool": pool.name])
        ]
    }

    /// `POST /v1/storage-pool-definitions`.
    mutating func createStoragePoolDefinition(_ request: NewStoragePoolDefinition) throws(DepotError) -> [Reply] {
        let name = try Lookup.validName(request.name, .storagePool)
        guard self.model.storagePoolDefinitions[ObjectKey(name)] == nil else {
            throw DepotError(.failExistsStoragePoolDefinition, "Storage pool definition '\(name)' already exists.", objectReferences: ["StorPoolDfn": name])
        }
        var definition = StoragePoolDefinition(name: name, uuid: request.uuid ?? Identifier.makeUUID())
        _ = try PropertyChange(overrideProps: request.props).apply(to: &definition.props, owner: .storagePoolDefinition)
        self.put(definition)
        return [
            Reply(
                .created, "New storage pool definition '\(name)' created.", details: "Storage pool definition '\(name)' UUID is: \(definition.uuid)",
                objectReferences: ["StorPoolDfn": name])
        ]
    }

    /// `PUT /v1/storage-pool-definitions/{pool}`.
    mutating func modifyStoragePoolDefinition(_ name: String, _ change: PropertyChange) throws(DepotError) -> [Reply] {
        guard var definition = self.model.storagePoolDefinitions[ObjectKey(name)] else {
            throw Self.storagePoolDefinitionNotFound(name)
        }
        let missing = try change.apply(to: &definition.props, owner: .storagePoolDefinition)
        self.put(definition)
        return [Reply(.modified, "Storage pool definition '\(definition.name)' modified.", objectReferences: ["StorPoolDfn": definition.name])]
            + missing.map { Reply(.warnDeleteUnsetProperty, "Property '\($0)' was not set on storage pool definition '\(definition.name)'.") }
    }

    /// `DELETE /v1/storage-pool-definitions/{pool}`: only when no node has a pool of that name.
    mutating func deleteStoragePoolDefinition(_ name: String) throws(DepotError) -> [Reply] {
        guard let definition = self.model.storagePoolDefinitions[ObjectKey(name)] else {
            return [Reply.alreadyGone("Storage pool definition '\(name)'", ["StorPoolDfn": name])]
        }
        guard ObjectKey(definition.name) != ObjectKey(DefaultStoragePool.diskless) else {
            throw DepotError(
                .failInUse, "The storage pool definition '\(DefaultStoragePool.diskless)' cannot be deleted.", cause: "Every satellite node's diskless resources use it.")
        }
        let pools = self.model.storagePools.values.filter { ObjectKey($0.name) == ObjectKey(definition.name) }
        guard pools.isEmpty else {
            throw DepotError(
                .failInUse, "Storage pool definition '\(definition.name)' still has storage pools.",
                cause: "Pools on nodes: " + pools.map(\.nodeName).sorted().joined(separator: ", "),
                correction: "Delete these storage pools first.", objectReferences: ["StorPoolDfn": definition.name])
        }
        self.removeStoragePoolDefinition(ObjectKey(definition.name))
        return [Reply(.deleted, "Storage pool definition '\(definition.name)' deleted.", objectReferences: ["StorPoolDfn": definition.name])]
    }

    static func storagePoolDefinitionNotFound(_ name: String) -> DepotError {
        DepotError(.failNotFoundStoragePoolDefinition, "Storage pool definition '\(name)' not found.", objectReferences: ["StorPoolDfn": name])
    }

    /// `POST /v1/controller/properties` and `DELETE /v1/controller/properties/{key}`.
    mutating func modifyControllerProps(_ change: PropertyChange) throws(DepotError) -> [Reply] {
        var props = self.model.controllerProps
        let missing = try change.apply(to: &props, owner: .controller)
        self.setControllerProps(props)
        var replies: [Reply] = []
        if !change.overrideProps.isEmpty {
            replies.append(Reply(.modified, "Successfully set property key(s): " + change.overrideProps.keys.sorted().joined(separator: ",")))
        }
        let deleted = change.deleteProps.filter { !missing.contains($0) }
        if !deleted.isEmpty || !change.deleteNamespaces.isEmpty {
            replies.append(Reply(.modified, "Successfully deleted property key(s): " + (deleted + change.deleteNamespaces).joined(separator: ",")))
        }
        replies += missing.map { Reply(.warnDeleteUnsetProperty, "Property '\($0)' was not set on the controller.") }
        if replies.isEmpty { replies.append(Reply(.modified, "Controller properties unchanged.")) }
        return replies
    }
}
