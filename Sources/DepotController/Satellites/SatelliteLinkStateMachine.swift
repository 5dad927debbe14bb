import DepotLink
import DepotModel
import DepotWire

/// What the controller knows of one node's satellite, and how each event on its link changes that.
///
/// A value with pure transitions and no I/O: the session and the supervisor report events (a
/// welcome, a report, a failure) and act on what a transition returns, so every rule here is
/// tested without a socket. The state outlives sessions: a reconnecting link keeps the satellite's
/// last welcome and report, and the versions it answered for.
struct SatelliteLinkStateMachine: Sendable {
    /// The interface this state belongs to; a changed endpoint starts a fresh state.
    let endpoint: SatelliteEndpoint
    private(set) var status: ConnectionStatus = .offline
    private(set) var welcome: Welcome?
    private(set) var report: NodeReport?
    private(set) var lastError: String?
    /// What the satellite said about the apply it is running, until its report comes.
    private(set) var progress: ApplyProgress?
    /// The newest published version this satellite has acted on (or had nothing to do for).
    private(set) var handledVersion: UInt64 = 0
    /// The version of the desired state last sent, and the newest published version whose
    /// desired state for this node is the same: a report for the former covers the latter.
    private(set) var sentVersion: UInt64 = 0
    private(set) var coveredVersion: UInt64 = 0
    /// When ``sentVersion`` went out, until its report came (for the apply-duration metric).
    private(set) var sentAt: ContinuousClock.Instant?
    /// Raised by ``reconnectRequested()``; a session that sees it change ends.
    private(set) var generation = 0

    init(endpoint: SatelliteEndpoint) {
        self.endpoint = endpoint
    }

    /// What a session does after the satellite answered its hello.
    enum HandshakeAction: Equatable {
        /// The satellite is online: exchange desired states and reports.
        case proceed
        /// End the session with this error.
        case close(LinkError)
    }

    /// The satellite welcomed the controller.
    ///
    /// - Parameter hostnameOwner: another node whose online satellite already answers as
    ///   `welcome.hostname`, if any: two nodes on one host would get each other's DRBD configuration.
    mutating func welcomed(_ welcome: Welcome, hostnameOwner: ObjectKey?) -> HandshakeAction {
        guard welcome.protocolVersion == SatelliteProtocol.version else {
            self.status = .versionMismatch
            return .close(.unexpected("protocol version \(welcome.protocolVersion), expected \(SatelliteProtocol.version)"))
        }
        if let hostnameOwner {
            self.status = .duplicateUname
            self.lastError = "node \(hostnameOwner) already answers as host '\(welcome.hostname)'"
            return .close(.unexpected("satellite hostname '\(welcome.hostname)' is already used by node \(hostnameOwner)"))
        }
        self.status = .online
        self.welcome = welcome
        self.lastError = nil
        return .proceed
    }

    /// The satellite refused the controller; the node shows why.
    mutating func refused(_ refusal: Refusal) -> HandshakeAction {
        switch refusal.reason {
        case .versionMismatch: self.status = .versionMismatch
        case .otherController: self.status = .otherController
        case .authenticationError: self.status = .authenticationError
        }
        self.lastError = refusal.message
        return .close(.refused(refusal))
    }

    /// A report arrived: it answers for every version up to what its desired state covers.
    ///
    /// A report of a version this controller never sent (a satellite that kept running across a
    /// controller restart, whose versions started again) answers nothing, and a report of an
    /// older state never replaces one of a newer.
    ///
    /// - Returns: whether the report was taken, and so goes on to the cluster state.
    mutating func received(_ report: NodeReport) -> Bool {
        guard report.appliedVersion <= self.sentVersion else { return false }
        if let current = self.report, current.appliedVersion <= self.sentVersion, current.appliedVersion > report.appliedVersion {
            return false
        }
        self.report = report
        if let progress = self.progress, progress.version <= report.appliedVersion { self.progress = nil }
        let answered = report.appliedVersion == self.sentVersion ? max(report.appliedVersion, self.coveredVersion) : report.appliedVersion
        self.handledVersion = max(self.handledVersion, answered)
        return true
    }

    /// The satellite said how far the running apply got.
    mutating func progressed(_ progress: ApplyProgress) {
        self.progress = progress
    }

    /// The desired state of published `version` went out.
    mutating func sent(version: UInt64, at instant: ContinuousClock.Instant = .now) {
        self.sentVersion = version
        self.coveredVersion = version
        self.sentAt = instant
    }

    /// How long the satellite took from receiving ``sentVersion`` to reporting it, once per version:
    /// `nil` for a report of another version or one already measured.
    mutating func applyDuration(of report: NodeReport, now: ContinuousClock.Instant = .now) -> Duration? {
        guard report.appliedVersion == self.sentVersion, let sentAt = self.sentAt else { return nil }
        self.sentAt = nil
        return now - sentAt
    }

    /// A new version left this node's desired state as it was sent: handled as soon as that was.
    mutating func unchanged(at version: UInt64) {
        self.coveredVersion = max(self.coveredVersion, version)
        if self.report?.appliedVersion == self.sentVersion {
            self.handledVersion = max(self.handledVersion, version)
        }
    }

    /// Someone asked for the link to connect again, so that the satellite probes the node afresh.
    mutating func reconnectRequested() {
        self.generation += 1
    }

    /// What the supervisor logs about a session that ended.
    struct SessionEnd: Equatable {
        /// The link was online: its drop is worth a warning, not a debug line.
        var wasOnline = false
        /// The satellite or its certificate turned the controller away; the node shows this status.
        var refusedStatus: ConnectionStatus?
        /// TLS could not be used (not a certificate the peer distrusts), for a reason not logged yet:
        /// the operator must act, so it is warned about once per distinct reason.
        var tlsProblem: LinkTLSError?
    }

    /// The session ended with `error`: the node shows offline (or why it was refused).
    mutating func sessionEnded(_ error: any Error) -> SessionEnd {
        let tlsError = error as? LinkTLSError
        var end = SessionEnd(wasOnline: self.status == .online)
        self.progress = nil
        if tlsError?.isAuthenticationFailure == true {
            // A certificate one side does not trust: LINSTOR's AUTHENTICATION_ERROR.
            self.status = .authenticationError
        } else if self.status == .online || self.status == .connected {
            self.status = .offline
        }
        let reason = String(describing: error)
        if let tlsError, !tlsError.isAuthenticationFailure, self.lastError != reason {
            end.tlsProblem = tlsError
        }
        self.lastError = reason
        if self.status != .offline { end.refusedStatus = self.status }
        return end
    }

    /// How waiting for the satellite to handle published `version` ends now, or `nil` to wait on.
    ///
    /// - Parameter waitedEnough: the caller will wait no longer: a busy satellite counts as still applying.
    func outcome(handling version: UInt64, waitedEnough: Bool) -> SatelliteOutcome? {
        if self.handledVersion >= version, let report = self.report { return .reported(report) }
        guard self.status == .online else { return .linkLost(self.lastError) }
        return waitedEnough ? .stillApplying(self.progress) : nil
    }
}
