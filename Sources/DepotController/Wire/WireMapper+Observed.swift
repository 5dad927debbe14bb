import DepotModel
import DepotWire

extension WireMapper {
    /// Adds what the node's satellite reported: backing devices, allocated sizes, disk states.
    ///
    /// Desired sizes come from the model; device paths and allocations only ever from a report, so a
    /// resource that was never applied shows none.
    static func applyObserved(_ report: ResourceReport, to dto: inout ResourceDTO) {
        let observed = Dictionary(report.volumes.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
        if var layer = dto.layerObject {
            self.applyObserved(observed, to: &layer)
            dto.layerObject = layer
        }
        dto.volumes = dto.volumes?.map { volume in
            var volume = volume
            guard let number = volume.volumeNumber, let seen = observed[number] else { return volume }
            let topIsStorage = volume.layerDataList?.first?.type == LayerKind.storage.rawValue
            if topIsStorage { volume.devicePath = seen.devicePath }
            volume.allocatedSizeKiB = seen.allocatedKiB
            if let diskState = seen.diskState {
                var state = VolumeStateDTO()
                state.diskState = diskState
                volume.state = state
            }
            volume.layerDataList = volume.layerDataList?.map { layer in
                var layer = layer
                if case .storage(var storage) = layer.data {
                    storage.devicePath = seen.devicePath
                    storage.allocatedSizeKiB = seen.allocatedKiB
                    storage.diskState = seen.diskState
                    layer.data = .storage(storage)
                }
                return layer
            }
            return volume
        }
    }

    private static func applyObserved(_ observed: [Int: VolumeReport], to layer: inout ResourceLayerDTO) {
        if var storage = layer.storage {
            storage.storageVolumes = storage.storageVolumes?.map { volume in
                var volume = volume
                guard let number = volume.volumeNumber, let seen = observed[number] else { return volume }
                volume.devicePath = seen.devicePath
                volume.allocatedSizeKiB = seen.allocatedKiB
                volume.diskState = seen.diskState
                return volume
            }
            layer.storage = storage
        }
        layer.children = layer.children?.map { child in
            var child = child
            self.applyObserved(observed, to: &child)
            return child
        }
    }
}
