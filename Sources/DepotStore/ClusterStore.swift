/// Where the controller's desired state lives between runs.
///
/// The controller changes its in-memory model only after ``commit(_:)`` returned: a change is
/// durable before it is acknowledged. A backend must apply a batch atomically. Every backend passes
/// the same conformance suite (`DepotTestSupport`'s `StoreConformance`).
public protocol ClusterStore: Sendable {
    /// Reads the whole persisted state: every kind in ``StoredKinds/all``.
    ///
    /// A row that does not decode is listed in ``StoredCluster/damaged``, not thrown: the rest of
    /// the cluster still loads.
    func load() async throws -> StoredCluster
    /// Applies `changes` in order in one durable transaction, or none of them.
    func commit(_ changes: [StoreChange]) async throws
    /// Moves `rows` aside in one transaction: each row's content goes to the quarantine with its
    /// reason, and the row leaves its table. A row that is not there is skipped.
    func quarantine(_ rows: [DamagedRow]) async throws
    /// Every row moved aside so far, oldest first.
    func quarantined() async throws -> [QuarantinedRow]
}
