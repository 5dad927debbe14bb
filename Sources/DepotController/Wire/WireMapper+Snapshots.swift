import DepotModel
import DepotWire
import HashTreeCollections

extension WireMapper {
    /// A snapshot as LINSTOR lists it; while it is being taken, each node's volumes carry the step in `state`.
    static func snapshot(_ snapshot: SnapshotDefinition) -> SnapshotDTO {
        var dto = SnapshotDTO()
        dto.name = snapshot.name
        dto.resourceName = snapshot.resourceName
        let nodes = snapshot.nodes.values.sorted { ObjectKey($0.nodeName) < ObjectKey($1.nodeName) }
        dto.nodes = nodes.map(\.nodeName)
        // LINSTOR's deprecated `props`: the definition's properties overlaid by the snapshot's own.
        dto.props = snapshot.resourceDefinitionProps.merging(snapshot.props) { _, own in own }.nonEmpty
        dto.snapshotDefinitionProps = snapshot.props.nonEmpty
        dto.resourceDefinitionProps = snapshot.resourceDefinitionProps.nonEmpty
        dto.flags = snapshot.flags.sorted().nonEmpty
        dto.volumeDefinitions = snapshot.volumes.values.sorted { $0.number < $1.number }.map { volume in
            var entry = SnapshotVolumeDefinitionDTO()
            entry.volumeNumber = volume.number
            entry.sizeKiB = volume.sizeKiB
            entry.volumeDefinitionProps = volume.volumeDefinitionProps.nonEmpty
            return entry
        }
        dto.uuid = snapshot.uuid
        let state = self.snapshotState(snapshot)
        dto.snapshots = nodes.map { node in
            var entry = SnapshotNodeDTO()
            entry.snapshotName = snapshot.name
            entry.nodeName = node.nodeName
            // As in LINSTOR, a snapshot has its time once it is taken everywhere.
            entry.createTimestamp = snapshot.isSuccessful ? node.createTimestamp : nil
            entry.uuid = node.uuid
            entry.snapshotVolumes = snapshot.volumes.keys.sorted().map { number in
                var volume = SnapshotVolumeNodeDTO()
                volume.vlmNr = number
                volume.state = state
                return volume
            }
            return entry
        }
        return dto
    }

    /// What a snapshot is doing or why it failed, for its volumes' `state`.
    static func snapshotState(_ snapshot: SnapshotDefinition) -> String? {
        switch snapshot.phase {
        case .suspending: return "Suspending I/O"
        case .taking: return "Taking snapshot"
        case .resuming: return "Resuming I/O"
        case .aborting: return "Aborting: " + (snapshot.failure ?? "")
        case nil: return snapshot.failure.map { "Failed: " + $0 }
        }
    }
}
