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
}
