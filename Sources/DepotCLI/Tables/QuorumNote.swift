import DepotClient

/// The note under `resource list` for DRBD resources that run without quorum protection.
///
/// Two replicas with a disk and nobody else: when they lose each other, both may go on writing (a
/// split brain). Depot adds a diskless tie-breaker on a third node when it can; when it could not,
/// the list says so instead of leaving it to be found after a split brain.
enum QuorumNote {
    /// Names of the listed DRBD resources with exactly two live diskful replicas and no diskless one.
    static func unprotected(_ resources: [ResourceView]) -> [String] {
        var diskful: [String: Int] = [:]
        var diskless: Set<String> = []
        var order: [String] = []
        for resource in resources where resource.layerStack.first == "DRBD" {
            let flags = resource.raw.flags
            guard !flags.contains("DELETE"), !flags.contains("DRBD_DELETE") else { continue }
            if diskful[resource.name] == nil, !diskless.contains(resource.name) { order.append(resource.name) }
            if flags.contains("DISKLESS") || flags.contains("DRBD_DISKLESS") {
                diskless.insert(resource.name)
            } else {
                diskful[resource.name, default: 0] += 1
            }
        }
        return order.filter { diskful[$0] == 2 && !diskless.contains($0) }
    }

    static func text(_ names: [String], colors: Bool) -> String {
        guard !names.isEmpty else { return "" }
        return TerminalColor.yellow.wrap("WARNING", enabled: colors) + ": without quorum protection (two replicas with a disk, "
            + "no tie-breaker; a split brain is possible): " + names.joined(separator: ", ") + ".\n"
            + "Give such a resource a third node with DRBD and a diskless pool (Depot adds a tie-breaker there) or a third replica.\n"
    }
}
