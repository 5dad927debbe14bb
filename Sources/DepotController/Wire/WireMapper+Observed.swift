import DepotModel
import DepotWire

extension WireMapper {
    /// Adds what the node's satellite reported: backing devices, allocated sizes, disk states, and for
    /// DRBD the connections, replication and promotion state.
    ///
    /// Desired sizes come from the model; device paths and allocations only ever from a report, so a
    /// resource that was never applied shows none.
    static func applyObserved(_ report: ResourceReport, to dto: inout ResourceDTO) {
        let observed = Dictionary(report.volumes.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
        if var layer = dto.layerObject {
            self.applyObserved(observed, drbd: report.drbd, to: &layer)
            dto.layerObject = layer
        }
        if let drbd = report.drbd, let inUse = drbd.inUse {
            var state = ResourceStateDTO()
            state.inUse = inUse
            dto.state = state
        }
        dto.volumes = dto.volumes?.map { volume in
            var volume = volume
            guard let number = volume.volumeNumber, let seen = observed[number] else { return volume }
            switch volume.layerDataList?.first?.type {
            case LayerKind.storage.rawValue: volume.devicePath = seen.devicePath
            case LayerKind.luks.rawValue: volume.devicePath = seen.luksDevicePath
            default: break
            }
            volume.allocatedSizeKiB = seen.allocatedKiB
            if seen.diskState != nil || seen.replication != nil {
                var state = VolumeStateDTO()
                state.diskState = seen.diskState.map { Self.shownDiskState($0, suspended: report.drbd?.suspended) }
                state.replicationStates = seen.replication.map { peers in
                    peers.mapValues { peer in
                        var dto = ReplicationStateDTO()
                        dto.replicationState = peer.state
                        dto.donePercentage = peer.donePercentage
                        return dto
                    }
                }
                volume.state = state
            }
            volume.layerDataList = volume.layerDataList?.map { layer in
                var layer = layer
                switch layer.data {
                case .storage(var storage):
                    storage.devicePath = seen.devicePath
                    storage.allocatedSizeKiB = seen.allocatedKiB
                    storage.diskState = report.drbd == nil ? seen.diskState : nil
                    layer.data = .storage(storage)
                case .drbd(var drbd):
                    self.applyObserved(seen, to: &drbd)
                    layer.data = .drbd(drbd)
                case .luks(var luks):
                    self.applyObserved(seen, to: &luks)
                    layer.data = .luks(luks)
                case nil:
                    break
                }
                return layer
            }
            return volume
        }
    }

    /// The disk state a list shows: a device whose I/O DRBD froze says so (`UpToDate, I/O suspended
    /// (quorum)`), since clients show this field verbatim and a frozen replica must not look healthy.
    static func shownDiskState(_ disk: String, suspended: String?) -> String {
        guard let suspended else { return disk }
        return "\(disk), I/O suspended (\(suspended))"
    }

    /// A DRBD replica being deleted whose node no longer reports its kernel state: its connections
    /// are going or gone (DRBD's `TearDown`, one of the states LINSTOR's API allows), never "Ok".
    static func markLeaving(_ dto: inout ResourceDTO, peers: [String]) {
        guard var layer = dto.layerObject, var drbd = layer.drbd, !peers.isEmpty else { return }
        var connections: [String: DRBDConnectionDTO] = [:]
        for peer in peers {
            var connection = DRBDConnectionDTO()
            connection.connected = false
            connection.message = "TearDown"
            connections[peer] = connection
        }
        drbd.connections = connections
        layer.drbd = drbd
        dto.layerObject = layer
    }

    private static func applyObserved(_ seen: VolumeReport, to drbd: inout DRBDVolumeDTO) {
        drbd.backingDevice = seen.luksDevicePath ?? seen.devicePath
        drbd.diskState = seen.diskState
    }

    /// The mapping as the satellite saw it: open (its path) or not.
    private static func applyObserved(_ seen: VolumeReport, to luks: inout LUKSVolumeDTO) {
        luks.devicePath = seen.luksDevicePath
        luks.backingDevice = seen.devicePath
        luks.opened = seen.luksDevicePath != nil
    }

    private static func applyObserved(_ observed: [Int: VolumeReport], drbd report: DRBDResourceReport?, to layer: inout ResourceLayerDTO) {
        if var storage = layer.storage {
            storage.storageVolumes = storage.storageVolumes?.map { volume in
                var volume = volume
                guard let number = volume.volumeNumber, let seen = observed[number] else { return volume }
                volume.devicePath = seen.devicePath
                volume.allocatedSizeKiB = seen.allocatedKiB
                volume.diskState = report == nil ? seen.diskState : nil
                return volume
            }
            layer.storage = storage
        }
        if var drbd = layer.drbd {
            drbd.drbdVolumes = drbd.drbdVolumes?.map { volume in
                var volume = volume
                guard let number = volume.drbdVolumeDefinition?.volumeNumber, let seen = observed[number] else { return volume }
                self.applyObserved(seen, to: &volume)
                return volume
            }
            if let report {
                drbd.connections =
                    report.connections.mapValues { connection in
                        var dto = DRBDConnectionDTO()
                        dto.connected = connection.isConnected
                        dto.message = connection.message ?? connection.state
                        return dto
                    }.nonEmpty
                drbd.promotionScore = report.promotionScore
                drbd.mayPromote = report.mayPromote
            }
            layer.drbd = drbd
        }
        if var luks = layer.luks {
            luks.luksVolumes = luks.luksVolumes?.map { volume in
                var volume = volume
                guard let number = volume.volumeNumber, let seen = observed[number] else { return volume }
                self.applyObserved(seen, to: &volume)
                return volume
            }
            layer.luks = luks
        }
        layer.children = layer.children?.map { child in
            var child = child
            self.applyObserved(observed, drbd: report, to: &child)
            return child
        }
    }
}
