public import DepotModel
public import DepotWire

/// The satellite's view of one storage pool: which provider, and what it is backed by.
public struct PoolConfig: Sendable, Hashable {
    /// The storage pool's name (for messages).
    public var name: String
    /// The provider kind.
    public var kind: ProviderKind
    /// `StorDriver/StorPoolName`: the VG (LVM), `vg/thinpool` (LVM_THIN), `zpool[/dataset]` (ZFS,
    /// ZFS_THIN) or the directory (FILE, FILE_THIN). Empty for DISKLESS.
    public var backingName: String
    /// `StorDriver/WaitTimeoutAfterCreate`: how long to wait for a new device to appear.
    public var waitTimeout: Duration
    /// The pool's properties (`StorDriver/LvcreateOptions`, `StorDriver/ZfscreateOptions`, …).
    public var props: [String: String]

    /// LINSTOR's default wait for a device after create (`StorDriver/WaitTimeoutAfterCreate`, 5000 ms).
    public static let defaultWaitTimeout: Duration = .seconds(5)

    /// Property keys the providers read, spelled as in LINSTOR.
    public enum PropertyKey {
        public static let poolName = "StorDriver/StorPoolName"
        public static let waitTimeoutAfterCreate = "StorDriver/WaitTimeoutAfterCreate"
        public static let lvcreateOptions = "StorDriver/LvcreateOptions"
        public static let zfsCreateOptions = "StorDriver/ZfscreateOptions"
    }

    /// Creates a pool configuration.
    public init(
        name: String,
        kind: ProviderKind,
        backingName: String,
        waitTimeout: Duration = PoolConfig.defaultWaitTimeout,
        props: [String: String] = [:]
    ) {
        self.name = name
        self.kind = kind
        self.backingName = backingName
        self.waitTimeout = waitTimeout
        self.props = props
    }

    /// Reads a pool of the controller's desired state, whose props already carry what the node and
    /// the controller set for it.
    public init(_ pool: DesiredStoragePool) throws(StorageError) {
        var props = pool.props
        if let backing = pool.backingName, props[PropertyKey.poolName] == nil { props[PropertyKey.poolName] = backing }
        try self.init(name: pool.name, kind: pool.providerKind, props: props)
    }

    private init(name: String, kind: ProviderKind, props: [String: String]) throws(StorageError) {
        let backingName = props[PropertyKey.poolName] ?? ""
        if kind.hasBackingStorage, backingName.isEmpty {
            throw StorageError(
                .invalidConfiguration,
                "Storage pool '\(name)' has no \(PropertyKey.poolName) property."
            )
        }
        var waitTimeout = Self.defaultWaitTimeout
        if let text = props[PropertyKey.waitTimeoutAfterCreate] {
            guard let milliseconds = Int64(text), milliseconds >= 0 else {
                throw StorageError(
                    .invalidConfiguration,
                    "Storage pool '\(name)': \(PropertyKey.waitTimeoutAfterCreate) must be milliseconds, not '\(text)'."
                )
            }
            waitTimeout = .milliseconds(milliseconds)
        }
        self.init(name: name, kind: kind, backingName: backingName, waitTimeout: waitTimeout, props: props)
    }

    /// The words of a free-form options property (`StorDriver/LvcreateOptions`), split on whitespace.
    ///
    /// Each word becomes one argument; no shell ever sees them.
    func optionWords(_ key: String) -> [String] {
        (self.props[key] ?? "").split(whereSeparator: \.isWhitespace).map(String.init)
    }
}
