import DepotModel

/// LINSTOR's names for snapshot objects, and how a pool listing tells them from volumes.
///
/// LVM_THIN and FILE name a snapshot `<backing name>_<snapshot>` (an LV `SharedData_00000_Snap1`, an
/// image `SharedData_00000_Snap1.img`), in the same namespace as the volumes. A volume's backing
/// name always ends in `_<five digits>`, so a name that reads as `<backing name>_<snapshot name>`
/// is taken for a snapshot and never for a volume: a listing that missed a volume only costs an
/// idempotent create, one that took a snapshot for a volume could hand its image to DRBD.
enum SnapshotNames {
    /// Checks `name` against LINSTOR's snapshot name rules (2–48 characters of letters, digits, `_`
    /// and `-`, beginning with a letter or `_`), so it is safe in a command or a path.
    static func validate(_ name: String) throws(StorageError) {
        do {
            try NameKind.snapshot.validate(name)
        } catch {
            throw StorageError(.invalidName, error.description)
        }
    }

    /// `<backing name>_<snapshot>`: the LV of an LVM_THIN snapshot, the image stem of a FILE one.
    static func objectName(_ snapshot: String, of id: VolumeID) -> String {
        id.backingName + "_" + snapshot
    }

    /// Every way `name` reads as `<backing name>_<snapshot name>`; empty for a volume's name.
    ///
    /// LINSTOR's naming is ambiguous for odd names (`A_00000_B_00000_S` is snapshot `B_00000_S` of
    /// `A_00000` and snapshot `S` of `A_00000_B_00000`, one and the same object); every reading is
    /// returned, so a look-up under any of them finds the object its name stands for.
    static func readings(of name: String) -> [(backing: String, snapshot: String)] {
        var readings: [(backing: String, snapshot: String)] = []
        for index in name.indices where name[index] == "_" {
            let backing = name[..<index]
            let snapshot = String(name[name.index(after: index)...])
            guard Self.isBackingName(backing), (try? NameKind.snapshot.validate(snapshot)) != nil else { continue }
            readings.append((String(backing), snapshot))
        }
        return readings
    }

    /// Whether `name` is a volume's backing name: `<resource><sub-volume suffix>_<volume number>`.
    static func isBackingName(_ name: Substring) -> Bool {
        VolumeID(backingName: name) != nil
    }
}
