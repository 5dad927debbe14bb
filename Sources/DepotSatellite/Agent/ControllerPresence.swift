import Synchronization

/// Whether a controller is connected, and since when none is.
///
/// DRBD holds I/O only while a controller takes a snapshot; a controller that is gone cannot finish
/// it, and it aborts the snapshot when it sees this node again. So a satellite left without any
/// controller for a while resumes the I/O it holds instead of leaving applications frozen.
final class ControllerPresence: Sendable {
    private struct State {
        var sessions = 0
        var absentSince: ContinuousClock.Instant? = .now
    }

    private let state = Mutex(State())

    func connected() {
        self.state.withLock { state in
            state.sessions += 1
            state.absentSince = nil
        }
    }

    func disconnected() {
        self.state.withLock { state in
            state.sessions = max(0, state.sessions - 1)
            if state.sessions == 0 { state.absentSince = .now }
        }
    }

    /// How long no controller has been connected; nil while one is.
    var absence: Duration? {
        self.state.withLock { state in state.absentSince.map { ContinuousClock.now - $0 } }
    }
}
