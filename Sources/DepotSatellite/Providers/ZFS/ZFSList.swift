/// Parses the scripted (`-H -p`) output of `zfs list` and `zfs get`: tab-separated, sizes in bytes.
enum ZFSList {
    /// One row of `zfs list -H -p -o name,volsize,referenced,volblocksize -t volume`.
    struct Volume: Sendable, Hashable {
        var name: String
        var volumeSizeBytes: Int64
        var referencedBytes: Int64
        var blockSizeBytes: Int64
    }

    static let volumeFields = "name,volsize,referenced,volblocksize"

    static func volumes(_ output: String) throws(StorageError) -> [Volume] {
        var volumes: [Volume] = []
        for line in output.split(separator: "\n") where !line.isEmpty {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 4 else {
                throw StorageError(.unexpectedOutput, "Cannot parse zfs list output line '\(line)'.")
            }
            volumes.append(
                Volume(
                    name: String(fields[0]),
                    volumeSizeBytes: try self.bytes(fields[1], "volsize"),
                    referencedBytes: try self.bytes(fields[2], "referenced"),
                    blockSizeBytes: try self.bytes(fields[3], "volblocksize")
                )
            )
        }
        return volumes
    }

    /// One row of `zfs list -H -p -t snapshot -o name,defer_destroy`.
    struct Snapshot: Sendable, Hashable {
        /// The snapshotted dataset (`tank/LocalData_00000`).
        var dataset: String
        /// The snapshot's name, after the `@`.
        var name: String
        /// Whether the snapshot is only marked for destruction (`zfs destroy -d` of a snapshot with
        /// clones): ZFS removes it when its last clone goes.
        var isDeferred: Bool
    }

    static let snapshotFields = "name,defer_destroy"

    static func snapshots(_ output: String) throws(StorageError) -> [Snapshot] {
        var snapshots: [Snapshot] = []
        for line in output.split(separator: "\n") where !line.isEmpty {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            let parts = fields.first?.split(separator: "@", omittingEmptySubsequences: false) ?? []
            guard fields.count == 2, parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw StorageError(.unexpectedOutput, "Cannot parse zfs list output line '\(line)'.")
            }
            snapshots.append(Snapshot(dataset: String(parts[0]), name: String(parts[1]), isDeferred: fields[1] == "on"))
        }
        return snapshots
    }

    /// Parses `zfs get -H -p -o property,value PROPS DATASET` into property → bytes.
    static func properties(_ output: String) throws(StorageError) -> [String: Int64] {
        var values: [String: Int64] = [:]
        for line in output.split(separator: "\n") where !line.isEmpty {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2 else {
                throw StorageError(.unexpectedOutput, "Cannot parse zfs get output line '\(line)'.")
            }
            values[String(fields[0])] = try self.bytes(fields[1], String(fields[0]))
        }
        return values
    }

    private static func bytes(_ field: Substring, _ name: String) throws(StorageError) -> Int64 {
        guard let value = Int64(field), value >= 0 else {
            throw StorageError(.unexpectedOutput, "zfs reported '\(field)' for \(name), not a size in bytes.")
        }
        return value
    }
}
