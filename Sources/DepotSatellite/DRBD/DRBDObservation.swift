public import DepotWire

/// The kernel's state of one resource in the controller's terms: connections and replication keyed
/// by peer node name, disk states as LINSTOR shows them (`SyncTarget(42.00%)` while syncing).
struct DRBDObservation: Sendable, Equatable {
    /// events2's `suspended:` lists reasons (`user`, `quorum`, …); `user` is a `suspend-io`.
    static func isSuspendedByUser(_ field: String?) -> Bool {
        field?.split(separator: ",").contains("user") ?? false
    }

    var resource: DRBDResourceReport
    /// Per volume number.
    var diskStates: [Int: String]
    var replication: [Int: [String: DRBDReplicationReport]]
    var devicePaths: [Int: String]

    init(kernel: DRBDKernelState.Resource?, desired: DesiredDRBDResource, volumes: [Int]) {
        let peersByID = Dictionary(desired.peers.map { ($0.nodeID, $0) }, uniquingKeysWith: { first, _ in first })
        var connections: [String: DRBDConnectionReport] = [:]
        for peer in desired.peers {
            guard let connection = kernel?.connections[peer.nodeID] else {
                connections[peer.nodeName] = DRBDConnectionReport(state: kernel == nil ? "Down" : "Unconfigured")
                continue
            }
            // A node-id reused for a new peer while the kernel still has the old peer's connection:
            // its state is the old peer's; this peer's connection does not exist yet.
            if Self.isAnotherPeers(connection, peer) {
                connections[peer.nodeName] = DRBDConnectionReport(state: "Unconnected")
                continue
            }
            let state = connection.fields["connection"] ?? "Unknown"
            let message = connection.splitBrain && state != "Connected" ? "SplitBrain" : nil
            connections[peer.nodeName] = DRBDConnectionReport(state: state, message: message)
        }
        let role = kernel?.fields["role"]
        // In use as LINSTOR means it: Primary, or a device held open (mounted, or opened by a process).
        let opened = kernel?.devices.values.contains { $0.fields["open"] == "yes" } ?? false
        self.resource = DRBDResourceReport(
            role: role, inUse: role.map { $0 == "Primary" || opened }, mayPromote: kernel?.fields["may_promote"].map { $0 == "yes" },
            promotionScore: kernel?.fields["promotion_score"].flatMap { Int($0) }, connections: connections,
            suspended: kernel?.fields["suspended"].flatMap { $0 == "no" ? nil : $0 })
        var diskStates: [Int: String] = [:]
        var replication: [Int: [String: DRBDReplicationReport]] = [:]
        var devicePaths: [Int: String] = [:]
        for number in volumes {
            guard let device = kernel?.devices[number] else { continue }
            if let minor = device.fields["minor"] { devicePaths[number] = "/dev/drbd" + minor }
            var peers: [String: DRBDReplicationReport] = [:]
            var syncTargetDone: Double?
            for (key, fields) in kernel?.peerDevices ?? [:] where key.volume == number {
                guard let peer = peersByID[key.peerNodeID], let connection = kernel?.connections[key.peerNodeID],
                    !Self.isAnotherPeers(connection, peer)
                else { continue }
                let state = fields["replication"] ?? "Off"
                let done = fields["done"].flatMap { Double($0) }
                peers[peer.nodeName] = DRBDReplicationReport(
                    state: state, donePercentage: done, peerDiskState: fields["peer-disk"], outOfSyncKiB: fields["out-of-sync"].flatMap { Int64($0) })
                if state == "SyncTarget" { syncTargetDone = done ?? syncTargetDone ?? 0 }
            }
            replication[number] = peers
            var disk = device.fields["disk"] ?? "DUnknown"
            if let done = syncTargetDone { disk = "SyncTarget(" + Self.percent(done) + "%)" }
            diskStates[number] = disk
        }
        self.diskStates = diskStates
        self.replication = replication
        self.devicePaths = devicePaths
    }

    /// The kernel's connection carries another peer's name than `peer` (events2 `conn-name` is the
    /// peer's `on` section name: its host name, or its node name before its satellite first connected).
    static func isAnotherPeers(_ connection: DRBDKernelState.Connection, _ peer: DesiredDRBDPeer) -> Bool {
        guard let name = connection.fields["conn-name"] else { return false }
        return name != peer.hostName && name != peer.nodeName
    }

    /// Two decimals, as LINSTOR formats the resync progress.
    static func percent(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }
}
