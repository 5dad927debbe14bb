import DepotModel
import HashTreeCollections

/// `activate` and `deactivate`: a replica taken out of service keeps its data (storage and DRBD
/// metadata) but has no device, and its peers drop the connection to it while keeping its bitmap
/// slot, so that activating it again resyncs only what changed (LINSTOR's `INACTIVE`).
extension ClusterTransaction {
    mutating func deactivateResource(_ resourceName: String, _ nodeName: String) throws(DepotError) -> [Reply] {
        var resource = try self.model.resource(resourceName, on: nodeName)
        let references = ["RscDfn": resource.resourceName, "Node": resource.nodeName]
        guard !resource.flags.contains(ResourceFlag.inactive) else {
            return [Reply(.infoNoop, "Resource is already deactivated. Noop", objectReferences: references)]
        }
        guard !resource.flags.contains(ResourceFlag.delete) else {
            throw DepotError(.failInUse, "Resource '\(resource.resourceName)' on node '\(resource.nodeName)' is being deleted.", objectReferences: references)
        }
        try self.ensureNotInUse(resource, "deactivated")
        resource.flags.insert(ResourceFlag.inactive)
        self.put(resource)
        return [
            Reply(
                .modified, "Resource '\(resource.resourceName)' on node '\(resource.nodeName)' deactivated.",
                details: "Its device goes; its data and DRBD metadata stay, and its peers no longer connect to it until it is activated.",
                objectReferences: references)
        ] + (try self.updateDRBDAutomation(of: resource.key.resource))
    }

    mutating func activateResource(_ resourceName: String, _ nodeName: String) throws(DepotError) -> [Reply] {
        var resource = try self.model.resource(resourceName, on: nodeName)
        let references = ["RscDfn": resource.resourceName, "Node": resource.nodeName]
        guard resource.flags.contains(ResourceFlag.inactive) else {
            return [Reply(.infoNoop, "Resource is already activated. Noop", objectReferences: references)]
        }
        resource.flags.remove(ResourceFlag.inactive)
        self.put(resource)
        return [
            Reply(
                .modified, "Resource '\(resource.resourceName)' on node '\(resource.nodeName)' activated.",
                details: "Its device comes back; DRBD resyncs what its peers wrote meanwhile.", objectReferences: references)
        ] + (try self.updateDRBDAutomation(of: resource.key.resource))
    }
}
