public import DepotModel
public import DepotWire
import Logging

/// Volumes made by copying a snapshot's data: a clone or restore into another pool than the
/// snapshot's, and any restore from a thick LVM snapshot (a copy-on-write LV, not a volume to keep).
///
/// The new volume is created as any other (at least as large as the snapshot), the snapshot's data
/// is copied into it with `dd`, and DRBD's internal metadata, which the copy put where the snapshot
/// ended, is moved to the volume's end when the volume came out larger. The copy is recorded in the
/// state directory from before the volume exists until all of that is done, so a satellite killed
/// in between copies again instead of taking a half-filled volume for a restored one.
extension StorageLayer {
    /// Whether restoring `restore` into `pool` takes a copy rather than the provider's own restore.
    func needsCopy(_ restore: DesiredRestore, into pool: PoolConfig) -> Bool {
        if let source = restore.sourcePool, ObjectKey(source) != ObjectKey(pool.name) { return true }
        return !self.providers.provider(for: pool.kind).restoresFromOwnSnapshots
    }

    /// Creates volume `id` in `pool` and fills it with the snapshot's data.
    func copy(_ restore: DesiredRestore, into id: VolumeID, sizeKiB: Int64, in pool: PoolConfig, metadataMinor: Int?) async throws(StorageError) -> ProvidedVolume {
        let key = ObjectKey(pool.name)
        let sourceKey = ObjectKey(restore.sourcePool ?? pool.name)
        guard let sourcePool = self.pools[sourceKey] else {
            throw StorageError(
                .poolMissing, "Storage pool '\(restore.sourcePool ?? pool.name)', which holds snapshot '\(restore.snapshot)' of '\(restore.resource)', is not defined on this node."
            )
        }
        let source = VolumeID(resourceName: restore.resource, volumeNumber: id.volumeNumber)
        try id.validate()
        try source.validate()
        let copyKey = CopyLedger.key(pool: key.description, backingName: id.backingName)
        self.copies.start(copyKey)
        self.ledger.insert(Self.entry(id, pool))
        let sourceProvider = self.providers.provider(for: sourcePool.kind)
        let snapshot = try await sourceProvider.openSnapshot(restore.snapshot, of: source, in: sourcePool)
        let made: ProvidedVolume
        do throws(StorageError) {
            let provider = self.providers.provider(for: pool.kind)
            var volume = try await provider.create(id, sizeKiB: max(sizeKiB, (snapshot.sizeBytes + 1023) / 1024), in: pool)
            if volume.usableKiB < sizeKiB { volume = try await provider.resize(id, sizeKiB: sizeKiB, in: pool) }
            guard let device = volume.devicePath else {
                throw StorageError(.deviceTimeout, "Volume \(id) in pool '\(pool.name)' has no device to copy snapshot '\(restore.snapshot)' into.")
            }
            try await self.copyData(from: snapshot, to: device, zeroed: pool.kind.zeroesNewVolumes, what: "\(source)@\(restore.snapshot) into \(id)")
            if let minor = metadataMinor, volume.usableKiB * 1024 > snapshot.sizeBytes {
                do {
                    try await DRBDMetadataRelocation(runner: self.providers.runner).moveToEnd(minor: minor, device: device, copiedBytes: snapshot.sizeBytes)
                } catch {
                    throw StorageError(.commandFailed, error.message, commandError: error.commandError)
                }
            }
            made = volume
        } catch {
            try? await sourceProvider.closeSnapshot(restore.snapshot, of: source, in: sourcePool)
            throw error
        }
        try await sourceProvider.closeSnapshot(restore.snapshot, of: source, in: sourcePool)
        self.copies.finish(copyKey)
        self.inventories[key, default: [:]][id.backingName] = made
        self.capacities[key] = nil
        self.logger.info(
            "volume copied from snapshot",
            metadata: ["volume": "\(id)", "pool": "\(pool.name)", "snapshot": "\(source)@\(restore.snapshot)", "from pool": "\(sourcePool.name)"])
        return made
    }

    /// `dd` of the whole snapshot onto the device, flushed; zero blocks are skipped (`conv=sparse`)
    /// where a new volume reads as zeros already, so a thin target stays thin.
    private func copyData(from snapshot: SnapshotDevice, to device: String, zeroed: Bool, what: String) async throws(StorageError) {
        let conversions = zeroed ? "notrunc,fsync,sparse" : "notrunc,fsync"
        // A copy takes as long as the data is large: about a minute per 4 GiB at the slowest disks we expect.
        let timeout = Duration.seconds(max(60, snapshot.sizeBytes / (64 << 20)))
        let command = Command(
            "dd", ["if=\(snapshot.path)", "of=\(device)", "bs=1M", "iflag=fullblock", "conv=\(conversions)", "status=none"], timeout: max(timeout, self.providers.commandTimeout))
        do {
            try await self.providers.runner.runChecked(command)
        } catch {
            throw .command("Copying \(what)", error)
        }
    }
}
