#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Parses `vgs`/`lvs --reportformat json --units b --nosuffix` output.
///
/// LVM prints every field as a string (`"vg_size":"62914560"`, `"data_percent":""`), nested as
/// `{"report":[{"vg":[{…}]}]}`; sizes are bytes because the commands ask for `--units b`.
enum LVMReport {
    /// One row of `vgs -o vg_name,vg_extent_size,vg_size,vg_free`.
    struct VolumeGroup: Sendable, Hashable {
        var name: String
        var extentSizeBytes: Int64
        var sizeBytes: Int64
        var freeBytes: Int64
    }

    /// One row of `lvs -o lv_name,vg_name,lv_path,lv_size,lv_attr,pool_lv,data_percent`.
    struct LogicalVolume: Sendable, Hashable {
        var name: String
        var volumeGroup: String
        var path: String
        var sizeBytes: Int64
        var attributes: String
        var poolLV: String
        /// `nil` for thick LVs (LVM prints an empty string).
        var dataPercent: Double?

        /// Whether `lv_attr` marks a thin pool (`t…`).
        var isThinPool: Bool { self.attributes.first == "t" }
    }

    static let volumeGroupFields = "vg_name,vg_extent_size,vg_size,vg_free"
    static let logicalVolumeFields = "lv_name,vg_name,lv_path,lv_size,lv_attr,pool_lv,data_percent"

    static func volumeGroups(_ json: String) throws(StorageError) -> [VolumeGroup] {
        var groups: [VolumeGroup] = []
        for row in try self.rows(json, section: "vg") {
            groups.append(
                VolumeGroup(
                    name: row["vg_name"] ?? "",
                    extentSizeBytes: try self.bytes(row, "vg_extent_size"),
                    sizeBytes: try self.bytes(row, "vg_size"),
                    freeBytes: try self.bytes(row, "vg_free")
                )
            )
        }
        return groups
    }

    static func logicalVolumes(_ json: String) throws(StorageError) -> [LogicalVolume] {
        var volumes: [LogicalVolume] = []
        for row in try self.rows(json, section: "lv") {
            let percent = row["data_percent"].flatMap { $0.isEmpty ? nil : Double($0) }
            volumes.append(
                LogicalVolume(
                    name: row["lv_name"] ?? "",
                    volumeGroup: row["vg_name"] ?? "",
                    path: row["lv_path"] ?? "",
                    sizeBytes: try self.bytes(row, "lv_size"),
                    attributes: row["lv_attr"] ?? "",
                    poolLV: row["pool_lv"] ?? "",
                    dataPercent: percent
                )
            )
        }
        return volumes
    }

    private static func rows(_ json: String, section: String) throws(StorageError) -> [[String: String]] {
        struct Root: Decodable {
            var report: [[String: [[String: String]]]]
        }
        guard json.contains(where: { !$0.isWhitespace }) else { return [] }
        do {
            let root = try JSONDecoder().decode(Root.self, from: Data(json.utf8))
            return root.report.flatMap { $0[section] ?? [] }
        } catch {
            throw StorageError(.unexpectedOutput, "Cannot parse LVM's JSON report: \(error)")
        }
    }

    private static func bytes(_ row: [String: String], _ field: String) throws(StorageError) -> Int64 {
        let text = row[field] ?? ""
        if let value = Int64(text) { return value }
        // `--units b` prints integers; tolerate a decimal form ("4096.00") all the same.
        if let value = Double(text), value >= 0, value < 9.2e18 { return Int64(value.rounded(.up)) }
        throw StorageError(.unexpectedOutput, "LVM reported '\(text)' for \(field), not a size in bytes.")
    }
}
