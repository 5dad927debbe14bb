import DepotModel

/// What `query-size-info` finds out about a resource group's next spawn.
///
/// An answer, not an error: LINSTOR reports a placement that cannot be satisfied inside a successful
/// reply, next to whatever space it could still compute.
struct SpawnSizeInfo: Sendable {
    /// The space a spawn could use; `nil` when the question itself was invalid.
    struct Space: Sendable {
        var maxVolumeSizeKiB: Int64
        var availableSizeKiB: Int64
        var capacityKiB: Int64
        var defaultMaxOversubscriptionRatio: Double
        /// The pools the spawn would take; `nil` when it could not be placed.
        var nextSpawn: [Choice]?
    }

    /// One pool a spawn would place a replica in, with the ratios it set for itself.
    struct Choice: Sendable {
        var nodeName: String
        var storagePoolName: String
        var oversubscriptionRatio: Double?
        var freeCapacityOversubscriptionRatio: Double?
        var totalCapacityOversubscriptionRatio: Double?
    }

    var space: Space?
    /// Why the spawn could not be placed, or why the question was refused.
    var problems: [DepotError] = []
}

/// What `query-max-volume-size` finds: per storage pool name, the largest volume a spawn could place.
struct MaxVolumeSizes: Sendable {
    struct Candidate: Sendable {
        var storagePool: String
        var maxVolumeSizeKiB: Int64
        var nodeNames: [String]
        var allThin: Bool
    }

    var candidates: [Candidate]
    var defaultMaxOversubscriptionRatio: Double
}
