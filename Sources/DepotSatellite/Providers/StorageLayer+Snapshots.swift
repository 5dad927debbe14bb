public import DepotModel
public import DepotWire
import Logging

/// Snapshots in the node's pools: taken, kept and deleted as the desired state lists them, and the
/// rollback of a resource's volumes to one of them.
extension StorageLayer {
    /// Takes the listed snapshots that must be taken now, deletes this node's snapshots the desired
    /// state no longer lists, and reports what exists of each listed one.
    ///
    /// Decided from the pools' snapshot listings (``prepare(_:fullPass:)``): nothing runs for
    /// snapshots that are already as wanted.
    public func reconcileSnapshots(_ desired: DesiredNodeState) async -> [SnapshotReport] {
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
                    continue
                }
                if let error = listingErrors[key] {
                    failure = LayerFailure(error)
                    continue
                }
                if listings[key]?[id.backingName]?.contains(snapshot.name) == true {
                    present.append(volume.number)
                    continue
                }
                guard snapshot.take else { continue }
                do {
                    try await self.providers.provider(for: pool.kind).createSnapshot(snapshot.name, of: id, in: pool)
                    listings[key, default: [:]][id.backingName, default: []].insert(snapshot.name)
                    present.append(volume.number)
                    self.logger.info("snapshot taken", metadata: ["volume": "\(id)", "snapshot": "\(snapshot.name)"])
                } catch {
                    // What failed may have left something behind: the next apply lists the pool again.
                    listings[key] = nil
                    self.snapshotListings[key] = nil
                    self.logger.warning("snapshot not taken", metadata: ["volume": "\(id)", "snapshot": "\(snapshot.name)", "error": "\(error)"])
                    failure = LayerFailure(error)
                }
            }
            reports.append(SnapshotReport(resource: snapshot.resource, name: snapshot.name, volumes: present.sorted(), failure: failure?.report))
        }
        for (key, volumes) in listings {
            guard let pool = self.pools[key] else { continue }
            for (backingName, names) in volumes {
                // Only snapshots of volumes named as Depot names them; anything else in the pool is not ours.
                guard let id = Self.volumeID(backingName) else { continue }
                for name in names.sorted() where !wanted.contains(Self.snapshotKey(pool: key, volume: backingName, name: name)) {
                    do {
                        try await self.providers.provider(for: pool.kind).deleteSnapshot(name, of: id, in: pool)
                        listings[key]?[backingName]?.remove(name)
                        self.logger.info("snapshot deleted", metadata: ["volume": "\(id)", "snapshot": "\(name)"])
                    } catch {
                        self.logger.warning("snapshot not deleted", metadata: ["volume": "\(id)", "snapshot": "\(name)", "error": "\(error)"])
                    }
                }
            }
        }
        return reports
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

    private static func snapshotKey(pool: ObjectKey, volume: String, name: String) -> String { "\(pool)/\(volume)@\(name)" }

    /// The volume a backing name (`<resource>_<5 digits>`) names, or nil for a name Depot does not make.
    static func volumeID(_ backingName: String) -> VolumeID? {
        guard let separator = backingName.lastIndex(of: "_") else { return nil }
        let digits = backingName[backingName.index(after: separator)...]
        guard digits.count == 5, digits.allSatisfy(\.isASCIIDigit), let number = Int(digits) else { return nil }
        let id = VolumeID(resourceName: String(backingName[..<separator]), volumeNumber: number)
        return (try? id.validate()) == nil ? nil : id
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
