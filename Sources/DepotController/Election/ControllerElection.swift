import DepotStore
import Logging
import ServiceLifecycle

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

    /// Stands by until elected: `listener` answers on the REST port meanwhile, and stops once the
    /// lease is held or the process is told to stop.
    ///
    /// A task group, not a nested service group: a service group's own shutdown would mark the
    /// controller's whole task tree as shutting down.
    ///
    /// - Returns: the lease; nil after a shutdown signal.
    func standBy(answering listener: StandbyListener) async throws -> ControllerLease? {
        try await withThrowingTaskGroup(of: ControllerLease?.self) { group in
            group.addTask {
                try await listener.run()
                return nil
            }
            group.addTask {
                let lease = await cancelWhenGracefulShutdown { await self.waitForLease(target: listener.active) } ?? nil
                listener.stop()
                return lease
            }
            var won: ControllerLease?
            for try await lease in group where lease != nil { won = lease }
            return won
        }
    }

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
        do {
            try await cancelWhenGracefulShutdown {
                var lastRenewal = ContinuousClock.now
                while !Task.isCancelled {
                    try await Task.sleep(for: self.election.retryInterval)
                    lastRenewal = try await self.renew(lastRenewal: lastRenewal)
                }
            }
        } catch is CancellationError {
            // Shutting down: hand the lease over below.
        }
        // A clean shutdown hands over at once instead of after the lease expires; a database that
        // does not answer within a second does not hold the shutdown up (the lease then expires).
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await self.election.store.releaseLease(holder: self.election.identity)
                    self.election.logger.notice("released the controller lease")
                } catch {
                    self.election.logger.warning(
                        "could not release the controller lease; a standby takes over once it expires", metadata: ["reason": "\(error)"])
                }
            }
            group.addTask { try? await Task.sleep(for: .seconds(1)) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Renews once; returns when it last succeeded, or throws ``LeaseLost``.
    private func renew(lastRenewal: ContinuousClock.Instant) async throws -> ContinuousClock.Instant {
        do {
            let current = try await self.election.store.acquireLease(
                holder: self.election.identity, restURL: self.election.restURL, duration: self.election.duration)
            guard current.holder == self.election.identity, current.fencingToken == self.lease.fencingToken else {
                throw LeaseLost(description: "controller \(current.restURL) holds the lease now (fencing token \(current.fencingToken)); stopping")
            }
            return .now
        } catch let lost as LeaseLost {
            throw lost
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            guard ContinuousClock.now - lastRenewal < self.election.duration else {
                throw LeaseLost(description: "the lease could not be renewed for \(self.election.duration) (\(error)); stopping so that a standby takes over")
            }
            self.election.logger.warning("cannot renew the controller lease; retrying", metadata: ["reason": "\(error)"])
            return lastRenewal
        }
    }
}
