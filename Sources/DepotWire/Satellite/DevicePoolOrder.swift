/// What `create-device-pool` asks a satellite to make on unused disks: a volume group (LVM), a
/// volume group with one thin pool filling it (LVM_THIN), or a zpool (ZFS, ZFS_THIN). The
/// controller has resolved every name; the satellite only checks the disks are still unused.
public struct DevicePoolOrder: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case lvm = "LVM"
        case lvmThin = "LVM_THIN"
        case zfs = "ZFS"
        case zfsThin = "ZFS_THIN"
    }

    public var kind: Kind
    public var devices: [String]
    /// The volume group (LVM, LVM_THIN) or zpool (ZFS, ZFS_THIN).
    public var volumeGroup: String
    /// LVM_THIN only: the thin pool's name in ``volumeGroup``.
    public var thinPool: String?
    /// Extra words for `pvcreate`, `vgcreate`, `lvcreate` and `zpool create`, as the caller sent them.
    public var pvCreateArguments: [String]
    public var vgCreateArguments: [String]
    public var lvCreateArguments: [String]
    public var zpoolCreateArguments: [String]

    public init(
        kind: Kind, devices: [String], volumeGroup: String, thinPool: String? = nil, pvCreateArguments: [String] = [], vgCreateArguments: [String] = [],
        lvCreateArguments: [String] = [], zpoolCreateArguments: [String] = []
    ) {
        self.kind = kind
        self.devices = devices
        self.volumeGroup = volumeGroup
        self.thinPool = thinPool
        self.pvCreateArguments = pvCreateArguments
        self.vgCreateArguments = vgCreateArguments
        self.lvCreateArguments = lvCreateArguments
        self.zpoolCreateArguments = zpoolCreateArguments
    }
}

extension DevicePoolOrder {
    /// The pool as a storage pool names it (`StorDriver/StorPoolName`): `vg/thinpool` for
    /// LVM_THIN, otherwise the volume group or zpool.
    public var poolName: String {
        self.thinPool.map { "\(self.volumeGroup)/\($0)" } ?? self.volumeGroup
    }
}
