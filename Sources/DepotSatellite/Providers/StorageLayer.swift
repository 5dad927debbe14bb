public import DepotModel
public import DepotWire
public import Logging

/// The bottom of every stack: backing volumes in the node's storage pools, through the providers.
///
/// A full pass lists every pool once (``prepare(_:fullPass:)``); applies in between keep that
/// listing up to date with what they did, so a volume that exists with its size and device costs no
/// command and no look, and a node with thousands of volumes applies a change in the time that
/// change needs. Drift made behind the satellite's back is repaired by the next full pass.
public actor StorageLayer: DeviceLayer {
    public nonisolated let kind = LayerKind.storage
    let providers: StorageProviders
    let logger: Logger
    var ledger: VolumeLedger
    /// This apply's pools by key, and their listings (or why a listing failed).
    var pools: [ObjectKey: PoolConfig] = [:]
    var poolErrors: [ObjectKey: StorageError] = [:]
    var inventories: [ObjectKey: [String: ProvidedVolume]] = [:]
    /// The snapshots of each snapshot-capable pool (volume backing name → snapshot names), listed on
    /// full passes and kept up to date by what applies do in between, or why the listing failed.
    var snapshotListings: [ObjectKey: Result<[String: Set<String>], StorageError>] = [:]
    /// The desired snapshots the last snapshot pass carried out completely (nil: look again).
    var reconciledSnapshots: Set<DesiredSnapshot>?
    /// The rollbacks done per resource (``DesiredRollback/id``), kept in the state directory.
    var rollbacks: RollbackLedger
    /// The volumes whose copy from a snapshot is not complete, kept in the state directory.
    var copies: CopyLedger
    /// What the last apply gave each resource's volumes (`nil`: diskless), for reports.
    private var provided: [String: [Int: ProvidedVolume?]] = [:]
    /// Each pool's last capacity reading and when it was taken, read again on full passes, after
    /// this layer changed something in the pool, and when older than ``capacityMaxAge`` (what is
    /// written into thin volumes uses space too): a burst of changes elsewhere costs no capacity
    /// command per apply.
    var capacities: [ObjectKey: (capacity: PoolCapacity, readAt: ContinuousClock.Instant)] = [:]
    static let capacityMaxAge: Duration = .seconds(20)

    public init(providers: StorageProviders, stateDirectory: String?, logger: Logger) {
        self.providers = providers
        self.logger = logger
        self.ledger = VolumeLedger(directory: stateDirectory)
        self.rollbacks = RollbackLedger(directory: stateDirectory)
        self.copies = CopyLedger(directory: stateDirectory)
    }

    public func prepare(_ desired: DesiredNodeState, fullPass: Bool) async {
        let previous = self.pools
        if fullPass { self.capacities = [:] }
        self.pools = [:]
        self.poolErrors = [:]
        var inventories: [ObjectKey: [String: ProvidedVolume]] = [:]
        var snapshotListings: [ObjectKey: Result<[String: Set<String>], StorageError>] = [:]
        for pool in desired.storagePools {
            let key = ObjectKey(pool.name)
            do {
                let config = try PoolConfig(pool)
                self.pools[key] = config
                if previous[key] != config { self.capacities[key] = nil }
                let provider = self.providers.provider(for: config.kind)
                if !fullPass, previous[key] == config, let known = self.inventories[key] {
                    inventories[key] = known
                } else {
                    inventories[key] = try await provider.inventory(of: config)
                }
                if provider.supportsSnapshots {
                    if !fullPass, previous[key] == config, let known = self.snapshotListings[key], (try? known.get()) != nil {
                        snapshotListings[key] = known
                    } else {
                        do {
                            snapshotListings[key] = .success(try await provider.snapshots(in: config))
                        } catch {
                            snapshotListings[key] = .failure(error)
                        }
                    }
                }
            } catch {
                self.poolErrors[key] = error
            }
        }
        self.inventories = inventories
        self.snapshotListings = snapshotListings
    }

    public func apply(_ resource: DesiredResource, below: [Int: LayerDevice]) async throws(LayerFailure) -> [Int: LayerDevice] {
        var devices: [Int: LayerDevice] = [:]
        var given: [Int: ProvidedVolume?] = [:]
        defer { self.provided[resource.name] = given }
        var failure: LayerFailure?
        for volume in resource.volumes {
            let key = ObjectKey(volume.storagePool)
            guard let pool = self.pools[key] else {
                failure = self.poolErrors[key].map(LayerFailure.init) ?? LayerFailure("Storage pool '\(volume.storagePool)' is not defined on this node.")
                continue
            }
            if pool.kind == .diskless || resource.flags.contains(ResourceFlag.diskless) {
                given[volume.number] = .some(nil)
                devices[volume.number] = LayerDevice(path: nil, usableKiB: nil)
                continue
            }
            let id = VolumeID(resourceName: resource.name, volumeNumber: volume.number)
            do {
                // DRBD's internal metadata lies at the end of this volume, which a copy must keep.
                let metadataMinor = resource.layers.contains(.drbd) ? volume.drbd?.minor : nil
                let made = try await self.ensure(id, sizeKiB: volume.storageSizeKiB, in: pool, restore: volume.restore, metadataMinor: metadataMinor)
                given[volume.number] = made
                devices[volume.number] = LayerDevice(path: made.devicePath, usableKiB: made.usableKiB)
            } catch {
                self.logger.warning("volume not ready", metadata: ["volume": "\(id)", "error": "\(error)"])
                failure = LayerFailure(error)
            }
        }
        if let failure {
            // What failed may have left the listing behind: look again next time.
            for volume in resource.volumes {
                self.inventories[ObjectKey(volume.storagePool)]?[VolumeID(resourceName: resource.name, volumeNumber: volume.number).backingName] = nil
            }
            throw failure
        }
        return devices
    }

    /// The volume as the listing shows it when it is complete; otherwise created, grown or attached.
    ///
    /// - Parameters:
    ///   - restore: a volume that does not exist at all is made from this snapshot.
    ///   - metadataMinor: the DRBD minor above, whose internal metadata a copy must move to the end.
    private func ensure(
        _ id: VolumeID, sizeKiB: Int64, in pool: PoolConfig, restore: DesiredRestore?, metadataMinor: Int?
    ) async throws(StorageError) -> ProvidedVolume {
        let key = ObjectKey(pool.name)
        let copyKey = CopyLedger.key(pool: key.description, backingName: id.backingName)
        if let restore, self.copies.pending.contains(copyKey) {
            return try await self.copy(restore, into: id, sizeKiB: sizeKiB, in: pool, metadataMinor: metadataMinor)
        }
        if let listed = self.inventories[key]?[id.backingName], listed.devicePath != nil, listed.usableKiB >= sizeKiB {
            self.ledger.insert(Self.entry(id, pool))
            return listed
        }
        try id.validate()
        let provider = self.providers.provider(for: pool.kind)
        // Recorded before the volume exists, so a crash between the two still lets a later apply
        // find and remove it.
        self.ledger.insert(Self.entry(id, pool))
        var made: ProvidedVolume
        if let restore, self.inventories[key]?[id.backingName] == nil, try await provider.volume(id, in: pool) == nil {
            if self.needsCopy(restore, into: pool) {
                return try await self.copy(restore, into: id, sizeKiB: sizeKiB, in: pool, metadataMinor: metadataMinor)
            }
            let source = VolumeID(resourceName: restore.resource, volumeNumber: id.volumeNumber)
            made = try await provider.restore(id, from: restore.snapshot, of: source, sizeKiB: sizeKiB, in: pool)
            self.logger.info("volume restored", metadata: ["volume": "\(id)", "snapshot": "\(source)@\(restore.snapshot)"])
        } else {
            made = try await provider.create(id, sizeKiB: sizeKiB, in: pool)
        }
        if made.usableKiB < sizeKiB {
            made = try await provider.resize(id, sizeKiB: sizeKiB, in: pool)
        }
        self.inventories[key, default: [:]][id.backingName] = made
        self.capacities[key] = nil
        return made
    }

    public func removeUnwanted(wanted: [DesiredResource], held: HeldResources) async -> [String: LayerFailure] {
        var keep: Set<VolumeLedger.Entry> = []
        for resource in wanted where !resource.flags.contains(ResourceFlag.diskless) {
            for volume in resource.volumes {
                guard let pool = self.pools[ObjectKey(volume.storagePool)], pool.kind != .diskless else { continue }
                keep.insert(Self.entry(VolumeID(resourceName: resource.name, volumeNumber: volume.number), pool))
            }
        }
        var failures: [String: LayerFailure] = [:]
        // Per pool in one call, so a provider can remove many volumes with few commands.
        var batches: [PoolConfig: [VolumeLedger.Entry]] = [:]
        for entry in self.ledger.entries.subtracting(keep).sorted(by: { ($0.resourceName, $0.volumeNumber) < ($1.resourceName, $1.volumeNumber) })
        where !held.contains(entry.resourceName) {
            guard let kind = ProviderKind(caseInsensitive: entry.providerKind) else {
                failures[entry.resourceName] = LayerFailure(
                    "Volume \(entry.resourceName)/\(entry.volumeNumber) was made by a provider this satellite does not know ('\(entry.providerKind)'); it is left alone.")
                continue
            }
            batches[PoolConfig(name: entry.pool, kind: kind, backingName: entry.backingName), default: []].append(entry)
        }
        for (pool, entries) in batches.sorted(by: { $0.key.name < $1.key.name }) {
            let ids = entries.map { VolumeID(resourceName: $0.resourceName, volumeNumber: $0.volumeNumber) }
            let errors = await self.providers.provider(for: pool.kind).delete(ids, in: pool)
            for (entry, id) in zip(entries, ids) {
                if let error = errors[id] {
                    self.logger.warning("volume not removed", metadata: ["volume": "\(id)", "error": "\(error)"])
                    failures[entry.resourceName] = failures[entry.resourceName] ?? LayerFailure(error)
                    continue
                }
                self.ledger.remove(entry)
                self.copies.finish(CopyLedger.key(pool: ObjectKey(entry.pool).description, backingName: id.backingName))
                self.inventories[ObjectKey(entry.pool)]?[id.backingName] = nil
                self.logger.info("volume removed", metadata: ["volume": "\(id)", "pool": "\(entry.pool)"])
            }
            self.capacities[ObjectKey(pool.name)] = nil
        }
        let names = Set(wanted.map(\.name))
        self.provided = self.provided.filter { names.contains($0.key) }
        return failures
    }

    public func deactivate(_ resource: DesiredResource) async throws(LayerFailure) {
        var given: [Int: ProvidedVolume?] = [:]
        defer { self.provided[resource.name] = given }
        for volume in resource.volumes {
            let key = ObjectKey(volume.storagePool)
            guard let pool = self.pools[key] else {
                throw self.poolErrors[key].map(LayerFailure.init) ?? LayerFailure("Storage pool '\(volume.storagePool)' is not defined on this node.")
            }
            if pool.kind == .diskless || resource.flags.contains(ResourceFlag.diskless) {
                given[volume.number] = .some(nil)
                continue
            }
            let id = VolumeID(resourceName: resource.name, volumeNumber: volume.number)
            // The pool's listing decides without a command: a volume it lacks, or lists without a
            // device, has nothing to take down (an inactive resource costs nothing per apply).
            if let listing = self.inventories[key], listing[id.backingName]?.devicePath == nil {
                if let listed = listing[id.backingName] { given[volume.number] = listed }
                continue
            }
            do {
                try await self.providers.provider(for: pool.kind).deactivate(id, in: pool)
            } catch {
                self.inventories[key]?[id.backingName] = nil
                throw LayerFailure(error)
            }
            if var listed = self.inventories[key]?[id.backingName] {
                listed.devicePath = nil
                self.inventories[key]?[id.backingName] = listed
                given[volume.number] = listed
            }
            self.logger.info("volume deactivated", metadata: ["volume": "\(id)", "pool": "\(pool.name)"])
        }
    }

    public func annotate(_ report: inout ResourceReport, for resource: DesiredResource) async {
        guard let given = self.provided[resource.name] else { return }
        report.volumes = given.keys.sorted().map { number in
            guard let made = given[number] ?? nil else {
                return VolumeReport(number: number, devicePath: nil, allocatedKiB: nil, usableKiB: nil, diskState: "Diskless")
            }
            // Without a device (a deactivated volume) the data is there but not in use.
            return VolumeReport(
                number: number, devicePath: made.devicePath, allocatedKiB: made.allocatedKiB, usableKiB: made.usableKiB,
                diskState: made.devicePath == nil ? nil : "UpToDate")
        }
    }

    public func poolReports(_ desired: DesiredNodeState) async -> [StoragePoolReport] {
        var reports: [StoragePoolReport] = []
        for pool in desired.storagePools.sorted(by: { $0.name < $1.name }) {
            let key = ObjectKey(pool.name)
            guard let config = self.pools[key] else {
                let failure = self.poolErrors[key].map(LayerFailure.init) ?? LayerFailure("Storage pool '\(pool.name)' could not be read.")
                reports.append(StoragePoolReport(name: pool.name, freeKiB: nil, totalKiB: nil, failure: failure.report))
                continue
            }
            do {
                let capacity: PoolCapacity
                if let known = self.capacities[key], ContinuousClock.now - known.readAt < Self.capacityMaxAge {
                    capacity = known.capacity
                } else {
                    capacity = try await self.providers.provider(for: config.kind).capacity(of: config)
                    self.capacities[key] = (capacity, .now)
                }
                reports.append(StoragePoolReport(name: config.name, freeKiB: capacity.freeKiB, totalKiB: capacity.totalKiB, failure: nil))
            } catch {
                reports.append(StoragePoolReport(name: config.name, freeKiB: nil, totalKiB: nil, failure: LayerFailure(error).report))
            }
        }
        return reports
    }

    static func entry(_ id: VolumeID, _ pool: PoolConfig) -> VolumeLedger.Entry {
        VolumeLedger.Entry(
            resourceName: id.resourceName, volumeNumber: id.volumeNumber, pool: pool.name, providerKind: pool.kind.rawValue, backingName: pool.backingName)
    }
}
