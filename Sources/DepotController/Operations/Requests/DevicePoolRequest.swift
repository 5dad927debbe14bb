import DepotModel
import DepotWire
import Foundation

/// Reads a `create-device-pool` body into the satellite's order, refusing what Depot cannot do
/// (VDO, self-encrypting drives, RAID levels other than JBOD) rather than making a pool without it.
enum DevicePoolRequest {
    static func order(_ body: PhysicalStorageCreateDTO) throws(DepotError) -> DevicePoolOrder {
        // The client sends `lvmthin` and `zfsthin`, as LINSTOR's parser accepts them.
        let spelled = body.providerKind.uppercased().replacingOccurrences(of: "_", with: "")
        guard let kind = DevicePoolOrder.Kind.allCases.first(where: { $0.rawValue.replacingOccurrences(of: "_", with: "") == spelled }) else {
            throw DepotError(
                .failInvalidProvider, "Depot cannot create a device pool of kind '\(body.providerKind)'.",
                correction: "Use one of " + DevicePoolOrder.Kind.allCases.map(\.rawValue).joined(separator: ", ") + ".")
        }
        if body.vdoEnable == true {
            throw Self.unsupported("VDO", "Create the pool without --vdo-enable, or set up VDO under it by hand.")
        }
        if body.sed == true {
            throw Self.unsupported("Self-encrypting drives (SED)", "Create the pool without --sed; Depot's LUKS layer encrypts volumes instead.")
        }
        if let raid = body.raidLevel, raid.uppercased() != "JBOD" {
            throw DepotError(.failInvalidConfiguration, "RAID level '\(raid)' is not supported.", correction: "Use JBOD, the only level LINSTOR and Depot know.")
        }
        let devices = try Self.devices(body.devicePaths)
        let arguments = [body.pvCreateArguments, body.vgCreateArguments, body.lvCreateArguments, body.zpoolCreateArguments].compactMap { $0 }.joined()
        if let device = arguments.first(where: { $0.hasPrefix("/dev/") || $0.isEmpty }) {
            throw DepotError(
                .failInvalidConfiguration, "The extra argument '\(device)' is refused.",
                cause: "Disks are named in device_paths only, where Depot checks that they are unused; an empty argument means nothing.",
                correction: "Move the device to device_paths.")
        }
        let name = body.poolName.flatMap { $0.isEmpty ? nil : $0 } ?? "linstor_" + (devices[0].split(separator: "/").last.map(String.init) ?? "pool")
        var volumeGroup = name
        var thinPool: String?
        if kind == .lvmThin {
            let parts = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            (volumeGroup, thinPool) = parts.count == 2 ? (parts[0], parts[1]) : ("linstor_" + name, name)
        }
        for part in [volumeGroup] + [thinPool].compactMap({ $0 }) {
            try Self.validate(part, pool: name)
        }
        return DevicePoolOrder(
            kind: kind, devices: devices, volumeGroup: volumeGroup, thinPool: thinPool, pvCreateArguments: body.pvCreateArguments ?? [],
            vgCreateArguments: body.vgCreateArguments ?? [], lvCreateArguments: body.lvCreateArguments ?? [],
            zpoolCreateArguments: body.zpoolCreateArguments ?? [])
    }

    /// The storage pool on the new device pool: its backing set, the caller's properties over it.
    static func storagePool(_ pool: PhysicalStorageStoragePoolDTO, order: DevicePoolOrder) -> NewStoragePool {
        NewStoragePool(
            name: pool.name, providerKind: order.kind.rawValue, props: ["StorDriver/StorPoolName": order.poolName].merging(pool.props ?? [:]) { $1 },
            freeSpaceManagerName: pool.sharedSpace, externalLocking: pool.externalLocking ?? false)
    }

    private static func devices(_ paths: [String]) throws(DepotError) -> [String] {
        guard !paths.isEmpty else {
            throw DepotError(.failInvalidConfiguration, "Field 'device_paths' is empty.", correction: "Name at least one disk, as 'physical-storage list' shows it.")
        }
        for path in paths {
            let plain =
                path.hasPrefix("/dev/") && !path.contains("..")
                && path.dropFirst(5).unicodeScalars.allSatisfy { Self.nameCharacters.contains($0) || $0 == "/" || $0 == ":" }
            guard plain, path.count > 5 else {
                throw DepotError(
                    .failInvalidConfiguration, "'\(path)' is not a device path.", correction: "Name disks as 'physical-storage list' shows them, e.g. /dev/sdb.")
            }
        }
        guard Set(paths).count == paths.count else {
            throw DepotError(.failInvalidConfiguration, "A disk is named twice in 'device_paths'.", correction: "Name each disk once.")
        }
        return paths
    }

    private static let nameCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+.-".unicodeScalars)

    /// Volume group, thin pool and zpool names reach `vgcreate`, `lvcreate` and `zpool`: plain
    /// names only, never one that reads as an option.
    private static func validate(_ part: String, pool: String) throws(DepotError) {
        guard !part.isEmpty, part.count <= 127, !part.hasPrefix("-"), part != ".", part != "..", part.unicodeScalars.allSatisfy(Self.nameCharacters.contains)
        else {
            throw DepotError(
                .failInvalidConfiguration, "The pool name '\(pool)' is invalid.",
                correction: "Use letters, digits, '_', '+', '.' and '-' (not first), at most 127 characters; 'vg/thinpool' for LVM_THIN.")
        }
    }

    private static func unsupported(_ feature: String, _ correction: String) -> DepotError {
        DepotError(
            .failStorageDriverNotSupported, "\(feature) is not supported by Depot's device pools; no device pool was created.", correction: correction)
    }
}
