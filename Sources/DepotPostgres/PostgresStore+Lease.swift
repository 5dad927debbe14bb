public import DepotStore
import PostgresNIO
import Synchronization

/// The lease that elects the active controller among those sharing the database, in the row of
/// `controller_lease`, timed by the server's clock so that the controllers' clocks do not matter.
extension PostgresStore: LeaseStore {
    public func acquireLease(holder: String, restURL: String, duration: Duration) async throws -> ControllerLease {
        var binds = PostgresBindings()
        binds.append(holder)
        binds.append(restURL)
        binds.append(Int64(duration / .milliseconds(1)))
        let leaseBinds = binds
        let lease = try await self.session(.write) { session -> ControllerLease in
            // Taken when free or expired, renewed by its holder; a new holder raises the token.
            let taken = try await session.rows(
                """
                INSERT INTO controller_lease AS lease (id, holder, rest_url, fencing_token, expires_at)
                VALUES (1, $1, $2, 1, clock_timestamp() + $3::bigint * interval '1 millisecond')
                ON CONFLICT (id) DO UPDATE SET
                    holder = EXCLUDED.holder, rest_url = EXCLUDED.rest_url, expires_at = EXCLUDED.expires_at,
                    fencing_token = CASE WHEN lease.holder = EXCLUDED.holder THEN lease.fencing_token ELSE lease.fencing_token + 1 END
                WHERE lease.holder = EXCLUDED.holder OR lease.expires_at < clock_timestamp()
                RETURNING \(Self.leaseColumns)
                """, leaseBinds)
            if let row = taken.first { return try Self.lease(row) }
            guard let row = try await session.rows("SELECT \(Self.leaseColumns) FROM controller_lease WHERE id = 1").first else {
                throw StoreError("The lease row of the database \(self.url) vanished while it was taken; retry.")
            }
            return try Self.lease(row)
        }
        self.heldLease.withLock { held in
            if lease.holder == holder {
                held = HeldLease(holder: holder, fencingToken: lease.fencingToken)
            } else if held?.holder == holder {
                held = nil
            }
        }
        return lease
    }

    public func releaseLease(holder: String) async throws {
        var binds = PostgresBindings()
        binds.append(holder)
        let releaseBinds = binds
        try await self.session(.write) { session in
            try await session.execute(
                "UPDATE controller_lease SET expires_at = clock_timestamp() - interval '1 second' WHERE id = 1 AND holder = $1", releaseBinds)
        }
        self.heldLease.withLock { if $0?.holder == holder { $0 = nil } }
    }

    private static let leaseColumns =
        "holder, rest_url, fencing_token, (EXTRACT(EPOCH FROM (expires_at - clock_timestamp())) * 1000)::bigint"

    private static func lease(_ row: PostgresRow) throws -> ControllerLease {
        let (holder, restURL, token, remaining) = try row.decode((String, String, Int64, Int64).self)
        return ControllerLease(holder: holder, restURL: restURL, fencingToken: token, remaining: .milliseconds(max(0, remaining)))
    }

    /// Inside a writing transaction: fails it unless this store's lease is still in force. The
    /// row is locked (`FOR SHARE`) until the transaction ends, so no takeover can slip in between
    /// the check and the commit.
    func checkFencing(on session: SQLSession) async throws {
        guard let held = self.heldLease.withLock({ $0 }) else { return }
        var binds = PostgresBindings()
        binds.append(held.holder)
        binds.append(held.fencingToken)
        let rows = try await session.rows(
            "SELECT 1 FROM controller_lease WHERE id = 1 AND holder = $1 AND fencing_token = $2 AND expires_at > clock_timestamp() FOR SHARE", binds)
        guard !rows.isEmpty else {
            throw StoreError(
                "This controller no longer holds the lease of the database \(self.url) (fencing token \(held.fencingToken)): "
                    + "another controller took over or the lease expired. Nothing of this change was written.")
        }
    }
}

/// The lease this store's commits are fenced with, once its owner took it.
struct HeldLease: Sendable {
    let holder: String
    let fencingToken: Int64
}
