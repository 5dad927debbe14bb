public import Foundation

/// The right to be the active controller, held in a database several controllers share.
///
/// Exactly one controller holds it at a time; it must renew it before it expires, or a standby
/// takes it over. Every takeover raises the fencing token, which every write of the holder checks
/// in the database and every satellite checks on the link: a controller that lost its lease can
/// neither commit nor give orders, even if it has not noticed yet.
public struct ControllerLease: Sendable, Equatable {
    /// The holding controller's identity (unique per process).
    public var holder: String
    /// Where the holder serves REST, for standbys to redirect clients to.
    public var restURL: String
    public var fencingToken: Int64
    /// How long the lease stays valid from when it was read, by the database's clock.
    public var remaining: Duration

    public init(holder: String, restURL: String, fencingToken: Int64, remaining: Duration) {
        self.holder = holder
        self.restURL = restURL
        self.fencingToken = fencingToken
        self.remaining = remaining
    }
}

/// A store several controllers can share, which elects the active one (PostgreSQL).
///
/// Once ``acquireLease(holder:restURL:duration:)`` returned a lease held by the caller, the store
/// fences every later ``ClusterStore/commit(_:)`` with it: a commit fails once another controller
/// took over, before anything is written.
public protocol LeaseStore: ClusterStore {
    /// Takes the lease if nobody holds it or it expired, or renews it when `holder` holds it.
    ///
    /// - Returns: the lease in force afterwards, whoever holds it.
    func acquireLease(holder: String, restURL: String, duration: Duration) async throws -> ControllerLease
    /// Gives the lease up at once (a clean shutdown), so a standby need not wait for it to expire.
    func releaseLease(holder: String) async throws
}
