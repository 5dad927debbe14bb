public import Logging

/// Keeps the DRBD kernel state current by reading `drbdsetup events2 --statistics all` for as long
/// as the satellite runs, restarting it when it ends.
///
/// The statistics carry each device's `size` (a resize is confirmed by it) and each peer device's
/// `out-of-sync` (a moved replica is done only when nothing is left to resync).
///
/// Until the first `exists -` line the state is unknown (``snapshot()`` answers `nil`), so the
/// satellite never reports a guess; while drbdsetup is being restarted it is unknown again.
public actor DRBDEventMonitor {
    private let runner: any LineStreamingRunner
    private let drbdsetup: String
    private let restartDelay: Duration
    private let logger: Logger
    private var pending = DRBDKernelState()
    private var state: DRBDKernelState?
    /// Counts changes of ``snapshot()``; reporters poll it.
    public private(set) var version: UInt64 = 0

    public init(runner: any LineStreamingRunner, drbdsetup: String?, restartDelay: Duration = .seconds(5), logger: Logger) {
        self.runner = runner
        self.drbdsetup = drbdsetup ?? "drbdsetup"
        self.restartDelay = restartDelay
        self.logger = logger
    }

    /// The kernel's state after the initial dump, or `nil` while it is not known.
    func snapshot() -> DRBDKernelState? { self.state }

    /// Reads events until the task is cancelled.
    public func run() async {
        while !Task.isCancelled {
            let command = Command(self.drbdsetup, ["events2", "--statistics", "all"], timeout: .seconds(365 * 24 * 3600))
            do {
                let code = try await self.runner.streamLines(command) { line in await self.receive(line) }
                if !Task.isCancelled { self.logger.warning("drbdsetup events2 ended; restarting", metadata: ["exitCode": "\(code)"]) }
            } catch {
                if !Task.isCancelled { self.logger.warning("drbdsetup events2 failed; restarting", metadata: ["error": "\(error)"]) }
            }
            self.reset()
            try? await Task.sleep(for: self.restartDelay)
        }
    }

    func receive(_ line: String) {
        if DRBDEvent.isInitialDumpEnd(line) {
            self.state = self.pending
            self.changed()
            return
        }
        guard let event = DRBDEvent(line) else { return }
        self.pending.apply(event)
        if self.state != nil, self.state != self.pending {
            self.state = self.pending
            self.changed()
        }
    }

    private func reset() {
        self.pending = DRBDKernelState()
        if self.state != nil {
            self.state = nil
            self.changed()
        }
    }

    private func changed() {
        self.version += 1
    }
}
