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
