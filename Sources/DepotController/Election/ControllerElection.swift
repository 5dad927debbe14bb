import DepotStore
import Logging
import ServiceLifecycle
import Synchronization

/// Decides which of several controllers on one shared database is active: the one holding the
/// lease (``LeaseStore``). The others stand by, redirect REST calls to it, and try to take the
/// lease as often as a third of its duration, so one takes over soon after the active one stops
/// renewing.
struct ControllerElection: Sendable {
    let store: any LeaseStore
    /// This process's identity in the lease.
    let identity: String
    /// Where this controller serves REST, written into the lease for standbys' redirects.
    let restURL: String
    let duration: Duration
    let logger: Logger

    var retryInterval: Duration { self.duration / 3 }

    /// Tries until this controller holds the lease; tells `target` where the active one is meanwhile.
    ///
    /// - Returns: the lease, or nil when cancelled (a shutdown while standing by).
    func waitForLease(target: StandbyTarget) async -> ControllerLease? {
        var lastHolder: String?
        while !Task.isCancelled {
            do {
                let lease = try await self.store.acquireLease(holder: self.identity, restURL: self.restURL, duration: self.duration)
                if lease.holder == self.identity {
                    self.logger.notice("took the lease: this controller is active", metadata: ["fencing-token": "\(lease.fencingToken)"])
                    return lease
                }
                target.set(lease.restURL)
                if lastHolder != lease.holder {
                    self.logger.info("standing by", metadata: ["active": "\(lease.restURL)", "fencing-token": "\(lease.fencingToken)"])
                    lastHolder = lease.holder
                }
            } catch {
                target.set(nil)
                self.logger.warning("cannot read the controller lease; retrying", metadata: ["reason": "\(error)"])
            }
            try? await Task.sleep(for: self.retryInterval)
        }
        return nil
    }
}

/// Stands by until elected: the standby listener serves the REST port while the election runs, and
/// both end once the lease is held or the process is told to stop.
final class StandbyPhase: Service {
    let election: ControllerElection
    let target: StandbyTarget
    /// The lease once won; nil while standing by or after a shutdown.
    let won: Mutex<ControllerLease?>

    init(election: ControllerElection, target: StandbyTarget) {
        self.election = election
        self.target = target
        self.won = Mutex(nil)
    }

    func run() async throws {
        let lease = await cancelWhenGracefulShutdown { await self.election.waitForLease(target: self.target) }
        self.won.withLock { $0 = lease ?? nil }
    }
}

/// Renews the lease while this controller is active. If it cannot renew for a whole lease
/// duration, or finds another holder, it ends the controller at once: a standby may already be
/// taking over, and the database and the satellites refuse this one's fencing token from then on.
struct LeaseKeeper: Service {
    let election: ControllerElection
    let lease: ControllerLease

    /// Why the active controller stopped.
    struct LeaseLost: Error, CustomStringConvertible {
        let description: String
    }

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            var lastRenewal = ContinuousClock.now
            while !Task.isCancelled {
                try await Task.sleep(for: self.election.retryInterval)
                do {
                    let current = try await self.election.store.acquireLease(
                        holder: self.election.identity, restURL: self.election.restURL, duration: self.election.duration)
                    guard current.holder == self.election.identity, current.fencingToken == self.lease.fencingToken else {
                        throw LeaseLost(description: "controller \(current.restURL) holds the lease now (fencing token \(current.fencingToken)); stopping")
                    }
                    lastRenewal = .now
                } catch let lost as LeaseLost {
                    throw lost
                } catch {
                    guard ContinuousClock.now - lastRenewal < self.election.duration else {
                        throw LeaseLost(description: "the lease could not be renewed for \(self.election.duration) (\(error)); stopping so that a standby takes over")
                    }
                    self.election.logger.warning("cannot renew the controller lease; retrying", metadata: ["reason": "\(error)"])
                }
            }
        }
        // A clean shutdown hands over at once instead of after the lease expires.
        try? await self.election.store.releaseLease(holder: self.election.identity)
        self.election.logger.notice("released the controller lease")
    }
}
