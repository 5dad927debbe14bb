/// What the DRBD kernel module reports about its resources, built from `drbdsetup events2`.
///
/// Fields accumulate (a `change` line carries only what changed) and objects disappear on `destroy`.
struct DRBDKernelState: Sendable, Equatable {
    struct Resource: Sendable, Equatable {
        var fields: [String: String] = [:]
        var connections: [Int: Connection] = [:]
        var devices: [Int: Device] = [:]
        var peerDevices: [PeerVolume: [String: String]] = [:]
    }

    struct Connection: Sendable, Equatable {
        var fields: [String: String] = [:]
        /// DRBD called its split-brain helper for this connection since it last connected.
        var splitBrain = false
    }

    struct Device: Sendable, Equatable {
        var fields: [String: String] = [:]
    }

    struct PeerVolume: Sendable, Hashable {
        var peerNodeID: Int
        var volume: Int
    }

    var resources: [String: Resource] = [:]

    mutating func apply(_ event: DRBDEvent) {
        let name = event.resourceName
        if event.object == .resource {
            if event.action == .destroy {
                self.resources[name] = nil
            } else {
                self.resources[name, default: Resource()].fields.merge(event.fields) { _, new in new }
            }
            return
        }
        guard var resource = self.resources[name] else {
            // Objects of a resource DRBD has not announced yet: start it, the resource line follows.
            guard event.action != .destroy else { return }
            self.resources[name] = Resource()
            self.apply(event)
            return
        }
        switch event.object {
        case .connection:
            guard let peer = event.peerNodeID else { return }
            if event.action == .destroy {
                resource.connections[peer] = nil
                resource.peerDevices = resource.peerDevices.filter { $0.key.peerNodeID != peer }
            } else {
                var connection = resource.connections[peer] ?? Connection()
                connection.fields.merge(event.fields) { _, new in new }
                if connection.fields["connection"] == "Connected" { connection.splitBrain = false }
                resource.connections[peer] = connection
            }
        case .device:
            guard let volume = event.volume else { return }
            if event.action == .destroy {
                resource.devices[volume] = nil
            } else {
                resource.devices[volume, default: Device()].fields.merge(event.fields) { _, new in new }
            }
        case .peerDevice:
            guard let peer = event.peerNodeID, let volume = event.volume else { return }
            let key = PeerVolume(peerNodeID: peer, volume: volume)
            if event.action == .destroy {
                resource.peerDevices[key] = nil
            } else {
                resource.peerDevices[key, default: [:]].merge(event.fields) { _, new in new }
                // `done:` is only printed while a resync runs.
                if let replication = event.fields["replication"], !Self.isResync(replication), event.fields["done"] == nil {
                    resource.peerDevices[key]?["done"] = nil
                }
            }
        case .helper:
            if event.action == .call, let helper = event.fields["helper"], helper.hasSuffix("split-brain"), let peer = event.peerNodeID {
                resource.connections[peer, default: Connection()].splitBrain = true
            }
        case .resource, .path:
            break
        }
        self.resources[name] = resource
    }

    static func isResync(_ replication: String) -> Bool {
        replication.hasPrefix("Sync") || replication.hasPrefix("PausedSync") || replication.hasPrefix("Verify")
    }
}
