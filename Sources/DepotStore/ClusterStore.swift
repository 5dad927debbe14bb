/// Where the controller's desired state lives between runs.
///
/// The controller changes its in-memory model only after ``commit(_:)`` returned: a change is
/// durable before it is acknowledged. A backend must apply a batch atomically. Every backend passes
/// the same conformance suite (`DepotTestSupport`'s `StoreConformance`).
public protocol ClusterStore: Sendable {
    /// Reads the whole persisted state: every kind in ``StoredKinds/all``.
    func load() async throws -> StoredCluster
    /// Applies `changes` in order in one durable transaction, or none of them.
    func commit(_ changes: [StoreChange]) async throws
}
