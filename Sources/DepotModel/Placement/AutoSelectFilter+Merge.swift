extension AutoSelectFilter {
    /// This filter's fields where set, the base's otherwise: a request over its resource group.
    public func merged(over base: AutoSelectFilter) -> AutoSelectFilter {
        var merged = AutoSelectFilter()
        merged.placeCount = self.placeCount ?? base.placeCount
        merged.additionalPlaceCount = self.additionalPlaceCount ?? base.additionalPlaceCount
        merged.nodeNameList = Self.nonEmpty(self.nodeNameList) ?? base.nodeNameList
        // Either pool field of the request replaces both of the base's: they are one setting.
        let ownPools = self.storagePool != nil || self.storagePoolList != nil
        merged.storagePool = ownPools ? self.storagePool : base.storagePool
        merged.storagePoolList = ownPools ? self.storagePoolList : base.storagePoolList
        merged.storagePoolDisklessList = self.storagePoolDisklessList ?? base.storagePoolDisklessList
        merged.notPlaceWithResource = self.notPlaceWithResource ?? base.notPlaceWithResource
        merged.notPlaceWithResourceRegex = self.notPlaceWithResourceRegex ?? base.notPlaceWithResourceRegex
        merged.replicasOnSame = self.replicasOnSame ?? base.replicasOnSame
        merged.replicasOnDifferent = self.replicasOnDifferent ?? base.replicasOnDifferent
        merged.xReplicasOnDifferentMap = self.xReplicasOnDifferentMap ?? base.xReplicasOnDifferentMap
        merged.layerStack = Self.nonEmpty(self.layerStack) ?? base.layerStack
        merged.providerList = self.providerList ?? base.providerList
        merged.disklessOnRemaining = self.disklessOnRemaining ?? base.disklessOnRemaining
        merged.disklessType = self.disklessType ?? base.disklessType
        merged.overprovision = self.overprovision ?? base.overprovision
        return merged
    }

    /// An empty node list or layer stack in a request means "not given": LINSTOR's JSON default
    /// `[]` would otherwise wipe the group's setting.
    private static func nonEmpty(_ list: [String]?) -> [String]? {
        guard let list, !list.isEmpty else { return nil }
        return list
    }
}

extension AutoSelectFilter {
    /// This filter's fields where set, the base's otherwise, field by field and without
    /// ``merged(over:)``'s rules: what `resource-group modify` and a spawn's own filter ask for.
    public func replacingFields(of base: AutoSelectFilter) -> AutoSelectFilter {
        var filter = base
        if let value = self.placeCount { filter.placeCount = value }
        if let value = self.additionalPlaceCount { filter.additionalPlaceCount = value }
        if let value = self.nodeNameList { filter.nodeNameList = value }
        // The two pool fields are one setting: either replaces both.
        if self.storagePool != nil || self.storagePoolList != nil {
            filter.storagePool = self.storagePool
            filter.storagePoolList = self.storagePoolList
        }
        if let value = self.storagePoolDisklessList { filter.storagePoolDisklessList = value }
        if let value = self.notPlaceWithResource { filter.notPlaceWithResource = value }
        if let value = self.notPlaceWithResourceRegex { filter.notPlaceWithResourceRegex = value }
        if let value = self.replicasOnSame { filter.replicasOnSame = value }
        if let value = self.replicasOnDifferent { filter.replicasOnDifferent = value }
        if let value = self.xReplicasOnDifferentMap { filter.xReplicasOnDifferentMap = value }
        if let value = self.layerStack { filter.layerStack = value }
        if let value = self.providerList { filter.providerList = value }
        if let value = self.disklessOnRemaining { filter.disklessOnRemaining = value }
        if let value = self.disklessType { filter.disklessType = value }
        if let value = self.overprovision { filter.overprovision = value }
        return filter
    }
}
