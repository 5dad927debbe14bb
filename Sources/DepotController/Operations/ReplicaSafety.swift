import DepotModel
import DepotWire

/// What the controller refuses so that no data is lost by a request: taking away a replica that is
/// in use, or one whose disk holds the only up-to-date copy.
///
/// Both are read from what the satellites last reported of the kernel (an unreachable node reports
/// nothing, so its replicas count as neither in use nor up to date).
extension ClusterTransaction {
    /// Mirrors CtrlRscDeleteApiHelper.ensureNotInUse: DRBD shows the replica Primary or held open.
    func ensureNotInUse(_ resource: Resource, _ action: String) throws(DepotError) {
        guard self.observed(resource.key)?.drbd?.inUse == true else { return }
        throw DepotError(
            .failInUse, "Resource '\(resource.resourceName)' is still in use on node '\(resource.nodeName)'; it cannot be \(action).",
            cause: "DRBD on '\(resource.nodeName)' reports the replica Primary: it is mounted or opened by a process there, "
                + "and what is written there after the peers drop it would be lost.",
            correction: "Un-mount resource '\(resource.resourceName)' on the node '\(resource.nodeName)' (or stop what holds it open), then try again.",
            objectReferences: ["RscDfn": resource.resourceName, "Node": resource.nodeName])
    }

    /// Refuses removing the disk of a DRBD replica that is UpToDate while the other replicas with a
    /// disk report no UpToDate data on every volume: its backing device holds the only good copy, and
    /// the others would carry on with older data.
    ///
    /// A resource with no other disk (one replica, or no DRBD) is not replicated: deleting it is
    /// deleting its data on purpose, as in LINSTOR.
    func ensureNotOnlyUpToDate(_ resource: Resource, _ action: String) throws(DepotError) {
        guard resource.drbd != nil, !resource.isDiskless, Self.isUpToDate(self.observed(resource.key)) else { return }
        let others = self.model.resources(ofDefinition: resource.key.resource).filter {
            $0.key != resource.key && !$0.isDiskless && !$0.flags.contains(ResourceFlag.delete)
        }
        guard !others.isEmpty, !others.contains(where: { Self.isUpToDate(self.observed($0.key)) }) else { return }
        let states = others.map { other in
            let disks = self.observed(other.key)?.volumes.compactMap(\.diskState) ?? []
            return "'\(other.nodeName)': " + (disks.isEmpty ? "Unknown" : disks.joined(separator: ", "))
        }
        throw DepotError(
            .failInUse, "Resource '\(resource.resourceName)' on node '\(resource.nodeName)' holds the only UpToDate data; it cannot be \(action).",
            cause: "No other replica reports UpToDate data (" + states.joined(separator: "; ") + ").",
            correction: "Wait until another replica is UpToDate ('resource list'), or delete the whole resource definition if the data is meant to go.",
            objectReferences: ["RscDfn": resource.resourceName, "Node": resource.nodeName])
    }

    /// Every volume UpToDate, as the satellite reported it.
    static func isUpToDate(_ report: ResourceReport?) -> Bool {
        guard let report, !report.volumes.isEmpty else { return false }
        return report.volumes.allSatisfy { $0.diskState == "UpToDate" }
    }

    /// A moved replica may replace the old one only when the kernel shows its data complete: every
    /// volume UpToDate, no resync pending with any connected peer, and replicating with at least one
    /// connected UpToDate peer (a fresh thin replica is UpToDate for a moment before its handshake
    /// with the peers makes it Inconsistent).
    static func isMigrationComplete(_ report: ResourceReport) -> Bool {
        guard let drbd = report.drbd, self.isUpToDate(report) else { return false }
        let connected = Set(drbd.connections.filter { $0.value.isConnected }.keys)
        return report.volumes.allSatisfy { volume in
            let peers = (volume.replication ?? [:]).filter { connected.contains($0.key) }
            return peers.values.allSatisfy(\.isInSync) && peers.values.contains { $0.peerDiskState == "UpToDate" }
        }
    }
}
