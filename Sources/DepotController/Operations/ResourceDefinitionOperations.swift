import DepotModel
import HashTreeCollections

extension ClusterTransaction {
    /// `POST /v1/resource-definitions`.
    mutating func createResourceDefinition(_ request: NewResourceDefinition) throws(DepotError) -> [Reply] {
        let name = try self.definitionName(request.name, external: request.externalName)
        guard self.model.resourceDefinitions[ObjectKey(name)] == nil else {
            throw DepotError(
                .failExistsResourceDefinition, "A resource definition with the name '\(name)' already exists.",
                objectReferences: ["RscDfn": name])
        }
        let group = try self.model.resourceGroup(request.resourceGroupName ?? ResourceGroup.defaultName)
        let stack = try self.layerStack(explicit: request.layerStack, group: group)
        var definition = ResourceDefinition(name: name, layerStack: stack, resourceGroupName: group.name, uuid: request.uuid ?? Identifier.makeUUID())
        if let external = request.externalName, !external.isEmpty {
            try self.checkExternalName(external, for: name)
            definition.externalName = external
        }
        _ = try PropertyChange(overrideProps: request.props).apply(to: &definition.props, owner: .resourceDefinition)
        if let transport = request.drbdTransportType, transport.uppercased() != "IP" {
            throw DepotError(.failInvalidTransportType, "Invalid DRBD transport type '\(transport)'.", correction: "Depot supports the IP transport.")
        }
        if stack.contains(.drbd) {
            if let port = request.drbdPort { _ = try Self.validPort(port) }
            if let secret = request.drbdSecret { try Self.validateSecret(secret) }
            let slots = try self.model.peerSlots(requested: request.drbdPeerSlots ?? definition.props["PeerSlotsNewResource"].flatMap { Int($0) }, group: group)
            definition.drbd = DRBDResourceDefinitionData(
                peerSlots: slots, preferredPort: request.drbdPort, secret: request.drbdSecret ?? Identifier.makeDRBDSecret())
        }
        self.put(definition)
        return [
            Reply(
                .created, "New resource definition '\(name)' created.",
                details: "Resource definition '\(name)' UUID is: \(definition.uuid)", objectReferences: ["RscDfn": name])
        ]
    }

    /// The stack a definition gets: the request's, else its group's, else LINSTOR's default `drbd,storage`.
    func layerStack(explicit: [String]?, group: ResourceGroup) throws(DepotError) -> [LayerKind] {
        if let explicit, !explicit.isEmpty { return try LayerStack.parse(explicit) }
        if let fromGroup = group.selectFilter.layerStack, !fromGroup.isEmpty { return try LayerStack.parse(fromGroup) }
        return [.drbd, .storage]
    }

    /// The given name, or without one the name LINSTOR derives from the external name.
    func definitionName(_ name: String?, external: String?) throws(DepotError) -> String {
        if let name, !name.isEmpty { return try Lookup.validName(name, .resource) }
        guard let external, !external.isEmpty else {
            throw DepotError(
                .failMissingExternalName, "The resource name generation for the creation of a new resource definition failed",
                cause: "Neither a name nor an external name was given.", correction: "Give the resource definition a name or an external name.")
        }
        if let other = self.model.resourceDefinitions.values.first(where: { $0.externalName == external }) {
            throw DepotError(
                .failExistsExternalName, "The specified external name is already registered",
                details: "Resource definition '\(other.name)' has the external name '\(external)'.", objectReferences: ["RscDfn": other.name])
        }
        guard let generated = ExternalNames.resourceName(for: external, isTaken: { self.model.resourceDefinitions[ObjectKey($0)] != nil }) else {
            throw DepotError(
                .failInvalidExternalName, "Invalid external name.", cause: "An external name has at most \(ExternalNames.maximumBytes) bytes in UTF-8.")
        }
        return generated
    }

    private func checkExternalName(_ external: String, for name: String) throws(DepotError) {
        guard external.utf8.count <= ExternalNames.maximumBytes, !external.contains(where: { $0.isNewline || $0 == "\0" }) else {
            throw DepotError(
                .failInvalidExternalName, "Invalid external name.", cause: "External names are at most \(ExternalNames.maximumBytes) bytes of printable text.")
        }
        if let other = self.model.resourceDefinitions.values.first(where: { $0.externalName == external && ObjectKey($0.name) != ObjectKey(name) }) {
            throw DepotError(
                .failExistsExternalName, "The external name '\(external)' is already used by resource definition '\(other.name)'.",
                objectReferences: ["RscDfn": other.name])
        }
    }

    static func validateSecret(_ secret: String) throws(DepotError) {
        guard (1...64).contains(secret.utf8.count), secret.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value < 127 && $0 != "\"" && $0 != "\\" }) else {
            throw DepotError(.failInvalidRequest, "Invalid DRBD shared secret.", cause: "A secret has 1 to 64 printable characters without quotes, backslashes or spaces.")
        }
    }

    /// `PUT /v1/resource-definitions/{resource}`.
    mutating func modifyResourceDefinition(_ name: String, _ modification: ResourceDefinitionModification) throws(DepotError) -> [Reply] {
        var definition = try self.model.resourceDefinition(name)
        let missing = try modification.props.apply(to: &definition.props, owner: .resourceDefinition)
        if let groupName = modification.resourceGroupName {
            definition.resourceGroupName = try self.model.resourceGroup(groupName).name
        }
        if let layers = modification.layerStack, !layers.isEmpty {
            let stack = try LayerStack.parse(layers)
            if stack != definition.layerStack {
                guard (self.model.resourcesByDefinition[definition.key] ?? []).isEmpty else {
                    throw DepotError(
                        .failInvalidLayerStack, "The layer stack of '\(definition.name)' cannot change while it has resources.",
                        correction: "Delete its resources first.", objectReferences: ["RscDfn": definition.name])
                }
                definition.layerStack = stack
                if stack.contains(.drbd), definition.drbd == nil {
                    let group = try self.model.resourceGroup(definition.resourceGroupName)
                    definition.drbd = DRBDResourceDefinitionData(
                        peerSlots: try self.model.peerSlots(requested: nil, group: group), preferredPort: nil, secret: Identifier.makeDRBDSecret())
                    var allocated: Set<Int> = []
                    for number in definition.volumeDefinitions.keys.sorted() {
                        let minor = try self.model.allocateMinor(requested: nil, alsoExcluding: allocated)
                        allocated.insert(minor)
                        definition.volumeDefinitions[number]?.drbdMinor = minor
                    }
                } else if !stack.contains(.drbd) {
                    definition.drbd = nil
                    for number in definition.volumeDefinitions.keys { definition.volumeDefinitions[number]?.drbdMinor = nil }
                }
            }
        }
        if definition.drbd != nil {
            if let port = modification.drbdPort { definition.drbd?.preferredPort = try Self.validPort(port) }
            if let slots = modification.drbdPeerSlots {
                guard (1...31).contains(slots) else {
                    throw DepotError(.failInvalidRequest, "Invalid number of DRBD peer slots \(slots).", correction: "Give 1 to 31 peer slots.")
                }
                let replicas = (self.model.resourcesByDefinition[definition.key] ?? []).count
                guard slots >= replicas - 1 else {
                    throw DepotError(.failInsufficientPeerSlots, "\(slots) peer slots are too few for the \(replicas) replicas of '\(definition.name)'.")
                }
                definition.drbd?.peerSlots = slots
            }
        }
        self.put(definition)
        return [
            Reply(
                .modified, "Resource definition '\(definition.name)' modified.", details: "Resource definition '\(definition.name)' UUID is: \(definition.uuid)",
                objectReferences: ["RscDfn": definition.name])
        ]
            + missing.map { Reply(.warnDeleteUnsetProperty, "Property '\($0)' was not set on resource definition '\(definition.name)'.") }
    }

    /// `DELETE /v1/resource-definitions/{resource}`: removes its resources and volume definitions too.
    mutating func deleteResourceDefinition(_ name: String) throws(DepotError) -> [Reply] {
        guard let definition = self.model.resourceDefinitions[ObjectKey(name)] else {
            return [Reply.alreadyGone("Resource definition '\(name)'", ["RscDfn": name])]
        }
        if !self.model.snapshots(of: definition.key).isEmpty {
            throw DepotError(
                .failExistsSnapshotDefinition, "Cannot delete resource definition '\(definition.name)' because it has snapshots.",
                cause: "Snapshots outlive their replicas but not their resource definition.",
                correction: "Delete its snapshots first ('snapshot list -r \(definition.name)' shows them).", objectReferences: ["RscDfn": definition.name])
        }
        // A clone given up before it was complete: the snapshot it was made from goes with it.
        if let clone = definition.clone {
            self.removeSnapshot(SnapshotKey(resource: ObjectKey(clone.source), snapshot: ObjectKey(clone.snapshot)))
        }
        // Mirrors CtrlRscDfnTruncateApiCallHandler.ensureNoRscInUse: deleting the data on purpose
        // still waits until nobody uses it.
        for resource in self.model.resources(ofDefinition: definition.key) where !resource.flags.contains(ResourceFlag.delete) {
            try self.ensureNotInUse(resource, "deleted")
        }
        var replies: [Reply] = []
        var waiting = false
        for resource in self.model.resources(ofDefinition: definition.key) {
            if self.retire(resource) {
                replies.append(
                    Reply(
                        .deleted, "Resource '\(definition.name)' on node '\(resource.nodeName)' deleted.", objectReferences: ["RscDfn": definition.name, "Node": resource.nodeName])
                )
            } else {
                waiting = true
            }
        }
        guard !waiting else {
            // Mirrors LINSTOR: the definition goes only after every node reported its cleanup.
            var marked = self.model.resourceDefinitions[definition.key] ?? definition
            marked.flags.insert(ResourceFlag.delete)
            self.put(marked)
            replies.append(
                Reply(
                    .modified, "Resource definition '\(definition.name)' marked for deletion.",
                    details: "It is removed when every node has reported its cleanup.", objectReferences: ["RscDfn": definition.name]))
            return replies
        }
        self.removeResourceDefinition(definition.key)
        replies.append(
            Reply(
                .deleted, "Resource definition '\(definition.name)' deleted.", details: "Resource definition '\(definition.name)' UUID was: \(definition.uuid)",
                objectReferences: ["RscDfn": definition.name]))
        return replies
    }

    /// `POST .../volume-definitions`: the volume appears on every existing resource of the definition.
    mutating func createVolumeDefinition(_ resourceName: String, _ request: NewVolumeDefinition) throws(DepotError) -> [Reply] {
        var definition = try self.model.resourceDefinition(resourceName)
        let number: Int
        if let requested = request.number {
            guard (0...VolumeDefinition.maxNumber).contains(requested) else {
                throw DepotError(.failInvalidVolumeNumber, "Invalid volume number \(requested).", correction: "Give a volume number from 0 to \(VolumeDefinition.maxNumber).")
            }
            guard definition.volumeDefinitions[requested] == nil else {
                throw DepotError(
                    .failExistsVolumeDefinition, "Volume definition \(requested) of resource definition '\(definition.name)' already exists.",
                    objectReferences: ["RscDfn": definition.name, "VlmNr": String(requested)])
            }
            number = requested
        } else {
            guard let free = NumberAllocation.lowestFree(in: 0...VolumeDefinition.maxNumber, excluding: Set(definition.volumeDefinitions.keys)) else {
                throw DepotError(.failPoolExhaustedVolumeNumber, "No free volume number is left in '\(definition.name)'.")
            }
            number = free
        }
        try VolumeSize.validate(request.sizeKiB)
        var volume = VolumeDefinition(number: number, sizeKiB: request.sizeKiB, uuid: request.uuid ?? Identifier.makeUUID())
        _ = try PropertyChange(overrideProps: request.props).apply(to: &volume.props, owner: .volumeDefinition)
        for flag in request.flags {
            guard Self.volumeDefinitionFlags.contains(flag.uppercased()) else {
                throw DepotError(
                    .failInvalidRequest, "Invalid volume definition flag '\(flag)'.", correction: "Use " + Self.volumeDefinitionFlags.sorted().joined(separator: ", ") + ".")
            }
            volume.flags.insert(flag.uppercased())
        }
        if definition.layerStack.contains(.drbd) {
            volume.drbdMinor = try self.model.allocateMinor(requested: request.drbdMinor)
        }
        if request.passphrase != nil || volume.flags.contains(VolumeDefinitionFlag.encrypted) || self.isEncrypted(definition) {
            volume.passphrase = try self.sealedPassphrase(request.passphrase, for: "The encrypted volume definition \(number) of '\(definition.name)'")
        }
        definition.volumeDefinitions[number] = volume
        self.put(definition)
        for resource in self.model.resources(ofDefinition: definition.key) {
            var updated = resource
            let pool: String
            if let existing = updated.volumes.values.first?.storagePoolName {
                pool = existing
            } else if resource.isDiskless {
                pool = resource.props["StorPoolName"] ?? DefaultStoragePool.diskless
            } else {
                pool = try self.storagePoolName(for: resource, definition: definition)
                _ = try self.model.storagePool(pool, on: resource.nodeName)
            }
            updated.volumes[number] = Volume(number: number, storagePoolName: pool, uuid: Identifier.makeUUID())
            self.put(updated)
        }
        let automation = try self.updateDRBDAutomation(of: definition.key)
        return [
            Reply(
                .created, "New volume definition with number '\(number)' of resource definition '\(definition.name)' created.",
                details: "Volume definition with number '\(number)' of resource definition '\(definition.name)' UUID is: \(volume.uuid)",
                objectReferences: ["RscDfn": definition.name, "VlmNr": String(number)])
        ] + automation
    }

    static let volumeDefinitionFlags: Set<String> = ["ENCRYPTED", "GROSS_SIZE"]

    /// `PUT .../volume-definitions/{number}`: size, properties, flags.
    mutating func modifyVolumeDefinition(_ resourceName: String, _ number: Int, _ modification: VolumeDefinitionModification) throws(DepotError) -> [Reply] {
        var definition = try self.model.resourceDefinition(resourceName)
        guard var volume = definition.volumeDefinitions[number] else { throw Self.volumeDefinitionNotFound(definition.name, number) }
        var replies: [Reply] = []
        if let size = modification.sizeKiB {
            try VolumeSize.validate(size)
            let deployed = !(self.model.resourcesByDefinition[definition.key] ?? []).isEmpty
            if size < volume.sizeKiB, deployed {
                throw DepotError(
                    .failInvalidVolumeSize, "Volume \(number) of '\(definition.name)' cannot shrink from \(volume.sizeKiB) KiB to \(size) KiB while it is deployed.",
                    cause: "Shrinking a deployed volume would cut off data.", correction: "Shrink the file system and the data first, or recreate the volume.")
            }
            if size == volume.sizeKiB {
                replies.append(Reply(.warnNoEffect, "Volume \(number) of '\(definition.name)' already has \(size) KiB."))
            }
            volume.sizeKiB = size
        }
        let missing = try modification.props.apply(to: &volume.props, owner: .volumeDefinition)
        for flag in modification.flags {
            let removing = flag.hasPrefix("-")
            let name = String(flag.dropFirst(removing ? 1 : 0)).uppercased()
            guard Self.volumeDefinitionFlags.contains(name) else {
                throw DepotError(.failInvalidRequest, "Invalid volume definition flag '\(flag)'.", correction: "Use GROSS_SIZE or -GROSS_SIZE.")
            }
            if removing { volume.flags.remove(name) } else { volume.flags.insert(name) }
        }
        definition.volumeDefinitions[number] = volume
        self.put(definition)
        return [
            Reply(
                .modified, "Volume definition with number '\(number)' of resource definition '\(definition.name)' modified.",
                details: "Volume definition with number '\(number)' of resource definition '\(definition.name)' UUID is: \(volume.uuid)",
                objectReferences: ["RscDfn": definition.name, "VlmNr": String(number)])
        ] + replies + missing.map { Reply(.warnDeleteUnsetProperty, "Property '\($0)' was not set on volume definition \(number).") }
    }

    /// `DELETE .../volume-definitions/{number}`: removes the volume from every resource and frees its minor.
    mutating func deleteVolumeDefinition(_ resourceName: String, _ number: Int) throws(DepotError) -> [Reply] {
        var definition = try self.model.resourceDefinition(resourceName)
        guard let volume = definition.volumeDefinitions.removeValue(forKey: number) else {
            return [
                Reply.alreadyGone("Volume definition with number '\(number)' of resource definition '\(definition.name)'", ["RscDfn": definition.name, "VlmNr": String(number)])
            ]
        }
        self.put(definition)
        for resource in self.model.resources(ofDefinition: definition.key) where resource.volumes[number] != nil {
            var updated = resource
            updated.volumes[number] = nil
            self.put(updated)
        }
        return [
            Reply(
                .deleted, "Volume definition with number '\(number)' of resource definition '\(definition.name)' deleted.",
                details: "Volume definition with number '\(number)' of resource definition '\(definition.name)' UUID was: \(volume.uuid)",
                objectReferences: ["RscDfn": definition.name, "VlmNr": String(number)])
        ]
    }

    static func volumeDefinitionNotFound(_ name: String, _ number: Int) -> DepotError {
        DepotError(
            .failNotFoundVolumeDefinition, "Volume definition with number '\(number)' of resource definition '\(name)' not found.",
            objectReferences: ["RscDfn": name, "VlmNr": String(number)])
    }
}
