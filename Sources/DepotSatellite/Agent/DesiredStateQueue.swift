import DepotWire
import Synchronization

/// The one queue between controller sessions and the reconciler: at most one desired state waits,
/// and a newer one replaces it (latest wins).
///
/// One consumer drains it, so exactly one apply runs on the node at a time, across link sessions:
/// a reconnect never starts a second apply beside a running one (two `drbdsetup attach` on one
/// device is how DRBD's kernel module was crashed).
final class DesiredStateQueue: Sendable {
    /// The waiting state, and whether a new session asked for a full pass since the last apply.
    private let pending = Mutex<(state: DesiredNodeState?, fullPass: Bool)>((nil, true))
    private let signal: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    init() {
        (self.signal, self.wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues `desired`, replacing whatever still waits.
    ///
    /// - Parameter fullPass: the apply must look at everything again (the first state of a session).
    func submit(_ desired: DesiredNodeState, fullPass: Bool = false) {
        self.pending.withLock { pending in
            pending.state = desired
            pending.fullPass = pending.fullPass || fullPass
        }
        self.wake.yield()
    }

    /// Hands each waiting desired state to `apply`, one at a time, until the task is cancelled.
    func drain(_ apply: (DesiredNodeState, _ fullPass: Bool) async -> Void) async {
        for await _ in self.signal {
            let next = self.pending.withLock { pending -> (DesiredNodeState, Bool)? in
                guard let state = pending.state else { return nil }
                defer { pending = (nil, false) }
                return (state, pending.fullPass)
            }
            guard let (desired, fullPass) = next else { continue }
            await apply(desired, fullPass)
        }
    }
}

/// The newest report, handed to whichever controller session is connected now.
final class ReportBoard: Sendable {
    private let subscribers = Mutex<[Int: AsyncStream<NodeReport>.Continuation]>([:])
    private let nextID = Atomic<Int>(0)

    /// Reports published from now on; only the newest waits when the reader is slow.
    func subscribe() -> AsyncStream<NodeReport> {
        let id = self.nextID.add(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream.makeStream(of: NodeReport.self, bufferingPolicy: .bufferingNewest(1))
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        self.subscribers.withLock { $0[id] = continuation }
        return stream
    }

    func publish(_ report: NodeReport) {
        for continuation in self.subscribers.withLock({ Array($0.values) }) {
            continuation.yield(report)
        }
    }
}
