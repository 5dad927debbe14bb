public import DepotModel

/// DISKLESS: volumes without local storage (DRBD clients). Every operation is a no-op.
public struct DisklessProvider: StorageProvider {
    public var kind: ProviderKind { .diskless }

    /// The observation of every diskless volume: no device, no space.
    static let nothing = ProvidedVolume(devicePath: nil, allocatedKiB: 0, usableKiB: 0)

    /// Creates the provider.
    public init() {}

    /// LINSTOR reports diskless pools as unlimited.
    public func capacity(of pool: PoolConfig) async throws(StorageError) -> PoolCapacity { .unlimited }

    public func inventory(of pool: PoolConfig) async throws(StorageError) -> [String: ProvidedVolume] { [:] }

    public func volume(_ id: VolumeID, in pool: PoolConfig) async throws(StorageError) -> ProvidedVolume? {
        try id.validate()
        return Self.nothing
    }

    public func create(_ id: VolumeID, sizeKiB: Int64, in pool: PoolConfig) async throws(StorageError) -> ProvidedVolume {
        try id.validate()
        return Self.nothing
    }

    public func resize(_ id: VolumeID, sizeKiB: Int64, in pool: PoolConfig) async throws(StorageError) -> ProvidedVolume {
        try id.validate()
        return Self.nothing
    }

    public func deactivate(_ id: VolumeID, in pool: PoolConfig) async throws(StorageError) {
        try id.validate()
    }

    public func delete(_ id: VolumeID, in pool: PoolConfig) async throws(StorageError) {
        try id.validate()
    }

    // MARK: - Snapshots: a diskless volume has no data to take a snapshot of.

    public var supportsSnapshots: Bool { false }

    public func snapshots(in pool: PoolConfig) async throws(StorageError) -> [String: Set<String>] { [:] }

    public func createSnapshot(_ name: String, of id: VolumeID, in pool: PoolConfig) async throws(StorageError) {
        try self.requireSnapshots(in: pool)
    }

    public func deleteSnapshot(_ name: String, of id: VolumeID, in pool: PoolConfig) async throws(StorageError) {
        try self.requireSnapshots(in: pool)
    }

    public func restore(
        _ id: VolumeID,
        from snapshot: String,
        of source: VolumeID,
        sizeKiB: Int64,
        in pool: PoolConfig
    ) async throws(StorageError) -> ProvidedVolume {
        try self.requireSnapshots(in: pool)
        return Self.nothing
    }

    public func rollback(_ id: VolumeID, to snapshot: String, in pool: PoolConfig) async throws(StorageError) -> ProvidedVolume {
        try self.requireSnapshots(in: pool)
        return Self.nothing
    }

    public var restoresFromOwnSnapshots: Bool { false }

    public func openSnapshot(_ snapshot: String, of id: VolumeID, in pool: PoolConfig) async throws(StorageError) -> SnapshotDevice {
        try self.requireSnapshots(in: pool)
        return SnapshotDevice(path: "", sizeBytes: 0)
    }

    public func closeSnapshot(_ snapshot: String, of id: VolumeID, in pool: PoolConfig) async throws(StorageError) {
        try self.requireSnapshots(in: pool)
    }
}
