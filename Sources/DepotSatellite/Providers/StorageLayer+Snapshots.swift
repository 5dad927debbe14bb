public import DepotModel
public import DepotWire
import Logging

/// Snapshots in the node's pools: taken, kept and deleted as the desired state lists them, and the
/// rollback of a resource's volumes to one of them.
extension StorageLayer {
    /// Takes the listed snapshots that must be taken now, deletes this node's snapshots the desired
    /// state no longer lists, and reports the ones being taken and the ones it could not delete.
    ///
    /// Decided from the pools' snapshot listings (``prepare(_:fullPass:)``). Between full passes a
    /// list of snapshots that did not change since it was last carried out costs nothing: a node
    /// that keeps thousands of snapshots pays for them once a minute, not on every change.
    public func reconcileSnapshots(_ desired: DesiredNodeState, fullPass: Bool) async -> [SnapshotReport] {
        let wantedList = Set(desired.snapshots)
        if !fullPass, wantedList == self.reconciledSnapshots, !desired.snapshots.contains(where: \.take) { return [] }
        var settled = true
        defer { self.reconciledSnapshots = settled ? wantedList : nil }
        var listings: [ObjectKey: [String: Set<String>]] = [:]
        var listingErrors: [ObjectKey: StorageError] = [:]
        for (key, listing) in self.snapshotListings {
            switch listing {
            case .success(let snapshots): listings[key] = snapshots
            case .failure(let error): listingErrors[key] = error
            }
        }
        defer {
            for (key, snapshots) in listings { self.snapshotListings[key] = .success(snapshots) }
        }
        var reports: [SnapshotReport] = []
        var wanted: Set<String> = []
        for snapshot in desired.snapshots {
            var present: [Int] = []
            var failure: LayerFailure?
            for volume in snapshot.volumes {
                let key = ObjectKey(volume.storagePool)
                let id = VolumeID(resourceName: snapshot.resource, volumeNumber: volume.number)
                wanted.insert(Self.snapshotKey(pool: key, volume: id.backingName, name: snapshot.name))
                guard let pool = self.pools[key] else {
                    failure = LayerFailure("Storage pool '\(volume.storagePool)' of snapshot '\(snapshot.name)' is not defined on this node.")
                    settled = false
                    continue
                }
                if let error = listingErrors[key] {
                    failure = LayerFailure(error)
                    settled = false
                    continue
                }
                if listings[key]?[id.backingName]?.contains(snapshot.name) == true {
                    present.append(volume.number)
                    continue
                }
                guard snapshot.take else { continue }
                guard snapshot.forClone || pool.kind.supportsSnapshots else {
                    // LINSTOR's rule, kept here too: users snapshot thin pools only.
                    failure = LayerFailure(StorageError.snapshotsNotSupported(pool, pool.kind))
                    settled = false
                    continue
                }
                do {
                    try await self.providers.provider(for: pool.kind).createSnapshot(snapshot.name, of: id, in: pool)
                    listings[key, default: [:]][id.backingName, default: []].insert(snapshot.name)
                    self.capacities[key] = nil
                    present.append(volume.number)
                    self.logger.info("snapshot taken", metadata: ["volume": "\(id)", "snapshot": "\(snapshot.name)"])
                } catch {
                    // What failed may have left something behind: the next apply lists the pool again.
                    listings[key] = nil
                    self.snapshotListings[key] = nil
                    self.logger.warning("snapshot not taken", metadata: ["volume": "\(id)", "snapshot": "\(snapshot.name)", "error": "\(error)"])
                    failure = LayerFailure(error)
                    settled = false
                }
            }
            if snapshot.take {
                reports.append(SnapshotReport(resource: snapshot.resource, name: snapshot.name, volumes: present.sorted(), failure: failure?.report))
            }
        }
        var undeleted: [String: SnapshotReport] = [:]
        // Snapshots of resources the controller holds stay, whatever the list says.
        let held = HeldResources(desired.heldResources ?? [])
        for (key, volumes) in listings {
            guard let pool = self.pools[key] else { continue }
            for (backingName, names) in volumes {
                // Only snapshots of volumes named as Depot names them; anything else in the pool is not ours.
                guard let id = VolumeID(backingName: backingName), !held.contains(id.resourceName) else { continue }
                for name in names.sorted() where !wanted.contains(Self.snapshotKey(pool: key, volume: backingName, name: name)) {
                    do {
                        try await self.providers.provider(for: pool.kind).deleteSnapshot(name, of: id, in: pool)
                        listings[key]?[backingName]?.remove(name)
                        self.capacities[key] = nil
                        self.logger.info("snapshot deleted", metadata: ["volume": "\(id)", "snapshot": "\(name)"])
                    } catch {
                        self.logger.warning("snapshot not deleted", metadata: ["volume": "\(id)", "snapshot": "\(name)", "error": "\(error)"])
                        settled = false
                        let reportID = DesiredSnapshot.id(resource: id.resourceName, name: name)
                        var report = undeleted[reportID] ?? SnapshotReport(resource: id.resourceName, name: name, volumes: [], failure: LayerFailure(error).report)
                        report.volumes = (report.volumes + [id.volumeNumber]).sorted()
                        undeleted[reportID] = report
                    }
                }
            }
        }
        return reports + undeleted.values.sorted { $0.id < $1.id }
    }

    /// Puts every volume of the resource back to the snapshot, once per rollback id; the layers
    /// above are down meanwhile. A diskless replica has nothing to roll back: it only waits, down.
    func rollback(_ resource: DesiredResource, _ rollback: DesiredRollback) async throws(LayerFailure) {
        for volume in resource.volumes {
            let key = ObjectKey(volume.storagePool)
            guard let pool = self.pools[key] else {
                throw self.poolErrors[key].map(LayerFailure.init) ?? LayerFailure("Storage pool '\(volume.storagePool)' is not defined on this node.")
            }
            guard pool.kind != .diskless, !resource.flags.contains(ResourceFlag.diskless) else { continue }
            let id = VolumeID(resourceName: resource.name, volumeNumber: volume.number)
            do {
                let restored = try await self.providers.provider(for: pool.kind).rollback(id, to: rollback.snapshot, in: pool)
                self.inventories[key]?[id.backingName] = restored
                self.capacities[key] = nil
            } catch {
                self.inventories[key]?[id.backingName] = nil
                throw LayerFailure(error)
            }
            self.logger.info("volume rolled back", metadata: ["volume": "\(id)", "snapshot": "\(rollback.snapshot)"])
        }
        self.rollbacks.record(rollback.id, of: resource.name)
    }

    /// Whether the resource's rollback `id` was done here already.
    func hasRolledBack(_ resource: String, id: String) -> Bool { self.rollbacks.done[resource] == id }

    /// The last rollback the resource finished here, for its report.
    func lastRollback(of resource: String) -> String? { self.rollbacks.done[resource] }

    /// One key per snapshot object: `<volume>_<snapshot>` is how LVM_THIN and FILE name it, so the
    /// readings of an ambiguous name (``SnapshotNames/readings(of:)``) are one and the same key and
    /// a wanted snapshot is never deleted under another reading of its name.
    private static func snapshotKey(pool: ObjectKey, volume: String, name: String) -> String { "\(pool)/\(volume)_\(name)" }
}
