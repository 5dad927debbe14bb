import DepotModel
import HashTreeCollections

/// Where DRBD numbers come from: node-ids per definition, ports per node, minors cluster-wide.
///
/// Mirrors LINSTOR's allocation rules (lowest free number in the configured range) so that the
/// article's first DRBD resource gets port 7000 and minor 1000 on every node.
extension ClusterModel {
    var minorRange: ClosedRange<Int> {
        self.controllerProps["MinorNrAutoRange"].flatMap { AllocationRange.parse($0, within: 0...AllocationRange.maxMinor) }
            ?? AllocationRange.drbdMinors
    }

    func tcpPortRange(on node: Node) -> ClosedRange<Int> {
        let text = self.effectiveProperties(of: node)["TcpPortAutoRange"]
        return text.flatMap { AllocationRange.parse($0, within: 1...65535) } ?? AllocationRange.tcpPorts
    }

    /// The next DRBD minor, or a user-chosen one after checking it is free.
    func allocateMinor(requested: Int?, alsoExcluding extra: Set<Int> = []) throws(DepotError) -> Int {
        if let requested {
            guard (0...AllocationRange.maxMinor).contains(requested) else {
                throw DepotError(.failInvalidMinorNumber, "Invalid DRBD minor number \(requested).", correction: "Give a minor from 0 to \(AllocationRange.maxMinor).")
            }
            guard !self.usedMinors.contains(requested), !extra.contains(requested) else {
                throw DepotError(
                    .failInvalidMinorNumber, "DRBD minor number \(requested) is already in use.", correction: "Choose another minor, or let the controller choose one.")
            }
            return requested
        }
        guard let minor = self.usedMinors.lowestFree(in: self.minorRange, excluding: extra) else {
            let range = self.minorRange
            throw DepotError(
                .failPoolExhaustedMinorNumber, "No free DRBD minor number is left.",
                cause: "All minors from \(range.lowerBound) to \(range.upperBound) are in use.",
                correction: "Widen the range with the controller property 'MinorNrAutoRange', or delete unused volume definitions.")
        }
        return minor
    }

    /// The node's lowest free DRBD ports; a port the definition prefers is taken when free on this node.
    func allocatePorts(on node: Node, count: Int, preferred: Int?, requested: [Int]?) throws(DepotError) -> [Int] {
        let used = self.usedPortsByNode[node.key] ?? []
        if let requested {
            for port in requested {
                guard (1...65535).contains(port) else {
                    throw DepotError(.failInvalidTCPPort, "Invalid TCP port \(port).", correction: "Give ports from 1 to 65535.")
                }
                guard !used.contains(port) else {
                    throw DepotError(.failInvalidTCPPort, "TCP port \(port) is already used by another DRBD resource on node '\(node.name)'.")
                }
            }
            return requested
        }
        var taken = used
        var ports: [Int] = []
        if let preferred, !taken.contains(preferred) {
            ports.append(preferred)
            taken.insert(preferred)
        }
        let range = self.tcpPortRange(on: node)
        while ports.count < count {
            guard let port = NumberAllocation.lowestFree(in: range, excluding: taken) else {
                throw DepotError(
                    .failPoolExhaustedTCPPort, "No free DRBD TCP port is left on node '\(node.name)'.",
                    cause: "All ports from \(range.lowerBound) to \(range.upperBound) are in use on this node.",
                    correction: "Widen the range with the property 'TcpPortAutoRange' on the node or the controller.",
                    objectReferences: ["Node": node.name])
            }
            ports.append(port)
            taken.insert(port)
        }
        return ports
    }

    /// The lowest DRBD node-id not used by another replica of the definition.
    func allocateNodeID(for definition: ResourceDefinition, requested: Int?) throws(DepotError) -> Int {
        let used = Set(self.resources(ofDefinition: definition.key).compactMap { $0.drbd?.nodeID })
        if let requested {
            guard AllocationRange.drbdNodeIDs.contains(requested) else {
                throw DepotError(.failInvalidNodeID, "Invalid DRBD node-id \(requested).", correction: "Give a node-id from 0 to 31.")
            }
            guard !used.contains(requested) else {
                throw DepotError(.failInvalidNodeID, "DRBD node-id \(requested) is already used by another replica of '\(definition.name)'.")
            }
            return requested
        }
        guard let id = NumberAllocation.lowestFree(in: AllocationRange.drbdNodeIDs, excluding: used) else {
            throw DepotError(
                .failPoolExhaustedNodeID, "No free DRBD node-id is left for resource '\(definition.name)'.",
                cause: "DRBD supports at most 32 replicas of one resource.", objectReferences: ["RscDfn": definition.name])
        }
        return id
    }

    /// Peer slots for a new definition: request, then `PeerSlotsNewResource` (group, controller), then the group's, then 7.
    func peerSlots(requested: Int?, group: ResourceGroup) throws(DepotError) -> Int {
        let candidates: [Int?] = [
            requested, group.peerSlots, group.props["PeerSlotsNewResource"].flatMap { Int($0) },
            self.controllerProps["PeerSlotsNewResource"].flatMap { Int($0) },
        ]
        let slots = candidates.compactMap { $0 }.first ?? DRBDResourceDefinitionData.defaultPeerSlots
        guard (1...31).contains(slots) else {
            throw DepotError(.failInvalidRequest, "Invalid number of DRBD peer slots \(slots).", correction: "Give 1 to 31 peer slots.")
        }
        return slots
    }
}
