import DepotModel
import HashTreeCollections

/// The model's objects arranged into ``EffectiveProperties`` chains, so that no caller orders the
/// levels of precedence by hand.
extension ClusterModel {
    /// A replica's settings: resource, resource definition, resource group, node, controller.
    ///
    /// - Parameter definition: the replica's definition when the caller holds a newer copy than the model.
    func effectiveProperties(of resource: Resource, definition: ResourceDefinition? = nil) -> EffectiveProperties {
        let definition = definition ?? self.resourceDefinitions[ObjectKey(resource.resourceName)]
        return EffectiveProperties.resource(
            resource.props, definition: definition?.props, group: definition.flatMap(self.group(of:))?.props,
            node: self.nodes[ObjectKey(resource.nodeName)]?.props, controller: self.controllerProps)
    }

    /// One volume of a replica: volume, resource, volume definition, volume group, then the replica's chain.
    func effectiveProperties(ofVolume number: Int, of resource: Resource) -> EffectiveProperties {
        let definition = self.resourceDefinitions[ObjectKey(resource.resourceName)]
        return self.effectiveProperties(of: resource).volume(
            resource.volumes[number]?.props, definition: definition?.volumeDefinitions[number]?.props,
            group: definition.flatMap(self.group(of:))?.volumeGroups[number]?.props)
    }

    /// A definition's settings: resource definition, resource group, controller.
    func effectiveProperties(of definition: ResourceDefinition) -> EffectiveProperties {
        EffectiveProperties.resourceDefinition(definition.props, group: self.group(of: definition)?.props, controller: self.controllerProps)
    }

    /// A storage pool's settings: pool, node, controller.
    func effectiveProperties(of pool: StoragePool) -> EffectiveProperties {
        EffectiveProperties.storagePool(pool.props, node: self.nodes[ObjectKey(pool.nodeName)]?.props, controller: self.controllerProps)
    }

    /// A node's settings: node, controller.
    func effectiveProperties(of node: Node) -> EffectiveProperties {
        EffectiveProperties.node(node.props, controller: self.controllerProps)
    }

    /// The DRBD connection of a definition's replicas on two nodes: resource connection, resource
    /// definition, node connection, resource group, controller.
    func effectiveProperties(ofConnection nodes: ConnectionKey, of definition: ResourceDefinition) -> EffectiveProperties {
        EffectiveProperties.connection(
            resourceConnection: self.resourceConnections[ResourceConnectionKey(resource: definition.key, nodes: nodes)]?.props,
            definition: definition.props, nodeConnection: self.nodeConnections[nodes]?.props, group: self.group(of: definition)?.props,
            controller: self.controllerProps)
    }

    func group(of definition: ResourceDefinition) -> ResourceGroup? {
        self.resourceGroups[ObjectKey(definition.resourceGroupName)]
    }
}
