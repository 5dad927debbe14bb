import DepotModel
import HashTreeCollections
import Testing

@testable import DepotController

/// The model's objects reach the property chains at the right level.
@Suite struct EffectivePropertiesModelTests {
    /// One of everything, each setting `Level` to its own name and `Only/<level>` only there.
    static func model() -> ClusterModel {
        func props(_ level: PropertyLevel) -> [String: String] { ["Level": level.rawValue, "Only/" + level.rawValue: "1"] }
        var model = ClusterModel()
        model.controllerProps = props(.controller)
        model.nodes[ObjectKey("n1")] = Node(name: "n1", type: .satellite, props: props(.node), netInterfaces: [], uuid: "n1")
        model.nodes[ObjectKey("n2")] = Node(name: "n2", type: .satellite, netInterfaces: [], uuid: "n2")
        var group = ResourceGroup(name: "grp", uuid: "g")
        group.props = props(.resourceGroup)
        group.volumeGroups[0] = VolumeGroup(number: 0, props: props(.volumeGroup), uuid: "vg")
        model.resourceGroups[group.key] = group
        var definition = ResourceDefinition(name: "r", layerStack: [.drbd, .storage], resourceGroupName: "GRP", uuid: "d")
        definition.props = props(.resourceDefinition)
        definition.volumeDefinitions[0] = VolumeDefinition(number: 0, sizeKiB: 1024, props: props(.volumeDefinition), uuid: "vd")
        model.resourceDefinitions[definition.key] = definition
        var resource = Resource(resourceName: "r", nodeName: "n1", props: props(.resource), flags: [], layerStack: [.drbd, .storage], createTimestamp: 0, uuid: "u")
        resource.volumes[0] = Volume(number: 0, storagePoolName: "pool", props: props(.volume), uuid: "v")
        model.index(resource)
        let pool = StoragePool(
            nodeName: "n1", name: "pool", providerKind: .lvmThin, props: props(.storagePool), freeSpaceManagerName: nil, externalLocking: false, uuid: "p")
        model.storagePools[pool.key] = pool
        let pair = ConnectionKey(ObjectKey("n1"), ObjectKey("n2"))
        model.nodeConnections[pair] = NodeConnection(nodeA: "n1", nodeB: "n2", props: props(.nodeConnection))
        model.resourceConnections[ResourceConnectionKey(resource: definition.key, nodes: pair)] = ResourceConnection(
            resourceName: "r", nodeA: "n1", nodeB: "n2", props: props(.resourceConnection))
        return model
    }

    /// The chain's levels, read back through each level's own key.
    private func order(_ chain: EffectiveProperties) -> [PropertyLevel] {
        chain.levels.map(\.kind).filter { chain["Only/" + $0.rawValue] == "1" }
    }

    @Test func everyChainTakesItsObjectsInLINSTORsOrder() throws {
        let model = Self.model()
        let resource = try #require(model.resources(ofDefinition: ObjectKey("r")).first)
        let definition = try #require(model.resourceDefinitions[ObjectKey("r")])
        #expect(self.order(model.effectiveProperties(of: resource)) == [.resource, .resourceDefinition, .resourceGroup, .node, .controller])
        #expect(
            self.order(model.effectiveProperties(ofVolume: 0, of: resource)) == [
                .volume, .resource, .volumeDefinition, .volumeGroup, .resourceDefinition, .resourceGroup, .node, .controller,
            ])
        #expect(self.order(model.effectiveProperties(of: definition)) == [.resourceDefinition, .resourceGroup, .controller])
        let pool = try #require(model.storagePools.values.first)
        #expect(self.order(model.effectiveProperties(of: pool)) == [.storagePool, .node, .controller])
        let connection = model.effectiveProperties(ofConnection: ConnectionKey(ObjectKey("n2"), ObjectKey("n1")), of: definition)
        #expect(self.order(connection) == [.resourceConnection, .resourceDefinition, .nodeConnection, .resourceGroup, .controller])
        #expect(model.effectiveProperties(ofVolume: 0, of: resource)["Level"] == "volume")
    }

    @Test func aNewerDefinitionThanTheModelsIsUsed() throws {
        let model = Self.model()
        let resource = try #require(model.resources(ofDefinition: ObjectKey("r")).first)
        var definition = try #require(model.resourceDefinitions[ObjectKey("r")])
        definition.props["StorPoolName"] = "fresh"
        #expect(model.effectiveProperties(of: resource, definition: definition)["StorPoolName"] == "fresh")
        #expect(model.effectiveProperties(of: resource)["StorPoolName"] == nil)
    }
}
