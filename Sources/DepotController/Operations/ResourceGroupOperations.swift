import DepotModel
import HashTreeCollections

extension ClusterTransaction {
    /// `POST /v1/resource-groups`.
    mutating func createResourceGroup(_ request: NewResourceGroup) throws(DepotError) -> [Reply] {
        let name = try Lookup.validName(request.name, .resourceGroup)
        guard self.model.resourceGroups[ObjectKey(name)] == nil else {
            throw DepotError(.failExistsResourceGroup, "A resource group with the name '\(name)' already exists.", objectReferences: ["RscGrp": name])
        }
        var group = ResourceGroup(name: name, uuid: request.uuid ?? Identifier.makeUUID())
        group.description = request.description
        _ = try PropertyChange(overrideProps: request.props).apply(to: &group.props, owner: .resourceGroup)
        if let filter = request.selectFilter { group.selectFilter = try Self.validFilter(filter) }
        // "N more" belongs to one request, never to a profile that every placement would inherit.
        group.selectFilter.additionalPlaceCount = nil
        group.peerSlots = try request.peerSlots.map(Self.validPeerSlots)
        self.put(group)
        return [Reply(.created, "New resource group '\(name)' created.", details: "Resource group '\(name)' UUID is: \(group.uuid)", objectReferences: ["RscGrp": name])]
    }

    /// `PUT /v1/resource-groups/{group}`: given filter fields replace the group's.
    mutating func modifyResourceGroup(_ name: String, _ modification: ResourceGroupModification) throws(DepotError) -> [Reply] {
        var group = try self.model.resourceGroup(name)
        if let description = modification.description { group.description = description }
        let missing = try modification.props.apply(to: &group.props, owner: .resourceGroup)
        if let filter = modification.selectFilter { group.selectFilter = try Self.validFilter(filter.replacingFields(of: group.selectFilter)) }
        group.selectFilter.additionalPlaceCount = nil
        if let slots = modification.peerSlots { group.peerSlots = try Self.validPeerSlots(slots) }
        self.put(group)
        return [
            Reply(.modified, "Resource group '\(group.name)' modified.", details: "Resource group '\(group.name)' UUID is: \(group.uuid)", objectReferences: ["RscGrp": group.name])
        ]
            + missing.map { Reply(.warnDeleteUnsetProperty, "Property '\($0)' was not set on resource group '\(group.name)'.") }
    }

    /// `DELETE /v1/resource-groups/{group}`: refused while definitions belong to it, and for the default group.
    mutating func deleteResourceGroup(_ name: String) throws(DepotError) -> [Reply] {
        guard let group = self.model.resourceGroups[ObjectKey(name)] else { return [Reply.alreadyGone("Resource group '\(name)'", ["RscGrp": name])] }
        guard group.key != ObjectKey(ResourceGroup.defaultName) else {
            throw DepotError(.failInUse, "The resource group '\(ResourceGroup.defaultName)' cannot be deleted.", cause: "It is the default group of new resource definitions.")
        }
        let members = self.model.resourceDefinitions.values.filter { ObjectKey($0.resourceGroupName) == group.key }.map(\.name).sorted()
        guard members.isEmpty else {
            throw DepotError(
                .failExistsResourceDefinition, "Resource group '\(group.name)' still has resource definitions.",
                cause: "Members: " + members.prefix(10).joined(separator: ", ") + (members.count > 10 ? ", …" : ""),
                correction: "Delete them or move them to another group first.", objectReferences: ["RscGrp": group.name])
        }
        self.removeResourceGroup(group.key)
        return [
            Reply(.deleted, "Resource group '\(group.name)' deleted.", details: "Resource group '\(group.name)' UUID was: \(group.uuid)", objectReferences: ["RscGrp": group.name])
        ]
    }

    /// `POST /v1/resource-groups/{group}/volume-groups`.
    mutating func createVolumeGroup(_ groupName: String, _ request: NewVolumeGroup) throws(DepotError) -> [Reply] {
        var group = try self.model.resourceGroup(groupName)
        let number: Int
        if let requested = request.number {
            guard (0...VolumeDefinition.maxNumber).contains(requested) else {
                throw DepotError(.failInvalidVolumeNumber, "Invalid volume number \(requested).", correction: "Give a volume number from 0 to \(VolumeDefinition.maxNumber).")
            }
            guard group.volumeGroups[requested] == nil else {
                throw DepotError(
                    .failExistsVolumeGroup, "Volume group \(requested) of resource group '\(group.name)' already exists.",
                    objectReferences: ["RscGrp": group.name, "VlmNr": String(requested)])
            }
            number = requested
        } else {
            number = NumberAllocation.lowestFree(in: 0...VolumeDefinition.maxNumber, excluding: Set(group.volumeGroups.keys)) ?? 0
        }
        var volumeGroup = VolumeGroup(number: number, uuid: request.uuid ?? Identifier.makeUUID())
        _ = try PropertyChange(overrideProps: request.props).apply(to: &volumeGroup.props, owner: .volumeGroup)
        volumeGroup.flags = try Self.volumeGroupFlags(request.flags, current: [])
        group.volumeGroups[number] = volumeGroup
        self.put(group)
        return [
            Reply(
                .created, "New volume group with number '\(number)' of resource group '\(group.name)' created.",
                details: "Volume group with number '\(number)' of resource group '\(group.name)' UUID is: \(volumeGroup.uuid)",
                objectReferences: ["RscGrp": group.name, "VlmNr": String(number)])
        ]
    }

    /// `PUT /v1/resource-groups/{group}/volume-groups/{number}`.
    mutating func modifyVolumeGroup(_ groupName: String, _ number: Int, _ modification: VolumeGroupModification) throws(DepotError) -> [Reply] {
        var group = try self.model.resourceGroup(groupName)
        guard var volumeGroup = group.volumeGroups[number] else { throw Self.volumeGroupNotFound(group.name, number) }
        let missing = try modification.props.apply(to: &volumeGroup.props, owner: .volumeGroup)
        volumeGroup.flags = try Self.volumeGroupFlags(modification.flags, current: volumeGroup.flags)
        group.volumeGroups[number] = volumeGroup
        self.put(group)
        return [
            Reply(.modified, "Volume group with number '\(number)' of resource group '\(group.name)' modified.", objectReferences: ["RscGrp": group.name, "VlmNr": String(number)])
        ]
            + missing.map { Reply(.warnDeleteUnsetProperty, "Property '\($0)' was not set on volume group \(number).") }
    }

    /// `DELETE /v1/resource-groups/{group}/volume-groups/{number}`.
    mutating func deleteVolumeGroup(_ groupName: String, _ number: Int) throws(DepotError) -> [Reply] {
        var group = try self.model.resourceGroup(groupName)
        guard let volumeGroup = group.volumeGroups.removeValue(forKey: number) else {
            return [Reply.alreadyGone("Volume group with number '\(number)' of resource group '\(group.name)'", ["RscGrp": group.name, "VlmNr": String(number)])]
        }
        self.put(group)
        return [
            Reply(
                .deleted, "Volume group with number '\(number)' of resource group '\(group.name)' deleted.",
                details: "Volume group with number '\(number)' of resource group '\(group.name)' UUID was: \(volumeGroup.uuid)",
                objectReferences: ["RscGrp": group.name, "VlmNr": String(number)])
        ]
    }

    /// `POST /v1/resource-groups/{group}/spawn`: a definition and its volumes from the group's profile.
    ///
    /// Placement is checked before anything is created, so a spawn that cannot place changes nothing.
    /// With `dry_run` every step runs on a copy that is then thrown away; only the answer remains.
    mutating func spawn(_ groupName: String, _ request: ResourceGroupSpawn) throws(DepotError) -> [Reply] {
        guard request.isDryRun else {
            return try self.allOrNothing { (transaction: inout ClusterTransaction) throws(DepotError) in
                try transaction.spawnSteps(groupName, request)
            }
        }
        var scratch = self
        let replies = try scratch.spawnSteps(groupName, request)
        return replies.filter { $0.code == .infoDryRun || $0.code == .infoNoResourceSpawned || $0.code.isWarning }
    }

    private mutating func spawnSteps(_ groupName: String, _ request: ResourceGroupSpawn) throws(DepotError) -> [Reply] {
        let group = try self.model.resourceGroup(groupName)
        let name = try self.definitionName(request.definitionName, external: request.externalName)
        let filter = try Self.validFilter(request.selectFilter.map { $0.replacingFields(of: group.selectFilter) } ?? group.selectFilter)
        let sizes = request.volumeSizes
        let volumeGroupNumbers = group.volumeGroups.keys.sorted()
        var replies: [Reply] = []
        var partial = request.isPartial
        if volumeGroupNumbers.isEmpty, !partial {
            partial = true
            replies.append(
                Reply(
                    ReturnCode(rawValue: ReturnCode.maskInfo), "Resource-group doesn't have any volume-groups, automatically assume partial mode.",
                    objectReferences: ["RscGrp": group.name]))
        }
        if sizes.count != volumeGroupNumbers.count, !partial {
            throw DepotError(
                .failInvalidVolumeSizes, "Invalid count of volume sizes to spawn resource group '\(group.name)'",
                correction: "Either provide the correct count of volume sizes or use the 'partial' option",
                details: "The resource group '\(group.name)' has \(volumeGroupNumbers.count) Volume groups, but only \(sizes.count) sizes were provided.",
                objectReferences: ["RscGrp": group.name])
        }
        guard request.volumePassphrases.isEmpty || request.volumePassphrases.count == sizes.count else {
            throw DepotError(
                .failInvalidRequest, "Volume passphrase count doesn't match specified volume count.",
                correction: "Please provide the same amount of volume passphrases as volumes for this resource-group",
                objectReferences: ["RscGrp": group.name])
        }
        // Sizes pair with the volume groups in number order; in partial mode further sizes get the
        // next free numbers and further volume groups stay unused.
        var numbers = Array(volumeGroupNumbers.prefix(sizes.count))
        while numbers.count < sizes.count { numbers.append((numbers.max() ?? -1) + 1) }
        let wantsPlacement = !request.definitionsOnly && (filter.placeCount ?? 0) > 0
        let definition = NewResourceDefinition(
            name: name, externalName: request.externalName, resourceGroupName: group.name, layerStack: filter.layerStack,
            props: request.definitionProps, drbdPeerSlots: request.peerSlots)
        replies += try self.createResourceDefinition(definition)
        for (index, (number, size)) in zip(numbers, sizes).enumerated() {
            let passphrase = request.volumePassphrases.isEmpty ? nil : request.volumePassphrases[index]
            replies += try self.createVolumeDefinition(name, NewVolumeDefinition(number: number, sizeKiB: size, passphrase: passphrase))
        }
        guard wantsPlacement else {
            let cause = request.definitionsOnly ? "--definitions-only was set" : "No autoplace configuration in the given resource group (at least place-count required)"
            replies.append(
                Reply(
                    .infoNoResourceSpawned, "Resource definition \(name) and \(sizes.count) volume definitions created but no resources deployed",
                    cause: cause, objectReferences: ["RscGrp": group.name, "RscDfn": name]))
            return replies
        }
        // A placement that fails throws: the definition goes with it, nothing is left half-made.
        var placement = request.selectFilter ?? AutoSelectFilter()
        placement.layerStack = filter.layerStack
        return replies + (try self.autoPlace(name, placement, dryRun: request.isDryRun))
    }

    static func validFilter(_ filter: AutoSelectFilter) throws(DepotError) -> AutoSelectFilter {
        if let count = filter.placeCount, count < 0 || count > 32 {
            throw DepotError(.failInvalidPlaceCount, "Invalid place count \(count).", correction: "Give a place count from 1 to 32.")
        }
        if let stack = filter.layerStack, !stack.isEmpty { _ = try LayerStack.parse(stack) }
        if let pattern = filter.notPlaceWithResourceRegex, !pattern.isEmpty, (try? Regex(pattern)) == nil {
            throw DepotError(
                .failInvalidRequest, "Invalid regular expression '\(pattern)' for do-not-place-with-regex.",
                correction: "Give a valid regular expression, e.g. '^db-'.")
        }
        for provider in filter.providerList ?? [] where ProviderKind(caseInsensitive: provider) == nil {
            throw DepotError(
                .failInvalidProvider, "Invalid provider kind '\(provider)' in the placement filter.",
                correction: "Use " + ProviderKind.allCases.map(\.rawValue).joined(separator: ", ") + ".")
        }
        for name in (filter.storagePoolList ?? []) + (filter.storagePoolDisklessList ?? []) + [filter.storagePool].compactMap({ $0 }) {
            _ = try Lookup.validName(name, .storagePool)
        }
        for name in filter.nodeNameList ?? [] { _ = try Lookup.validName(name, .node) }
        if let type = filter.disklessType, !["DRBD_DISKLESS", "NVME_INITIATOR"].contains(type.uppercased()) {
            throw DepotError(.failInvalidRequest, "Invalid diskless type '\(type)'.", correction: "Use DRBD_DISKLESS.")
        }
        return filter
    }

    static func validPeerSlots(_ slots: Int) throws(DepotError) -> Int {
        guard (1...31).contains(slots) else {
            throw DepotError(.failInvalidRequest, "Invalid number of DRBD peer slots \(slots).", correction: "Give 1 to 31 peer slots.")
        }
        return slots
    }

    static func volumeGroupFlags(_ changes: [String], current: Set<String>) throws(DepotError) -> Set<String> {
        var flags = current
        for flag in changes {
            let removing = flag.hasPrefix("-")
            let name = String(flag.dropFirst(removing ? 1 : 0)).uppercased()
            guard name == "GROSS_SIZE" else {
                throw DepotError(.failInvalidRequest, "Invalid volume group flag '\(flag)'.", correction: "Use GROSS_SIZE or -GROSS_SIZE.")
            }
            if removing { flags.remove(name) } else { flags.insert(name) }
        }
        return flags
    }

    static func volumeGroupNotFound(_ group: String, _ number: Int) -> DepotError {
        DepotError(
            .failNotFoundVolumeGroup, "Volume group with number '\(number)' of resource group '\(group)' not found.", objectReferences: ["RscGrp": group, "VlmNr": String(number)])
    }
}
