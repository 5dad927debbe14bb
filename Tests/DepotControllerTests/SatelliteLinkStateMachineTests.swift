import DepotLink
import DepotModel
import DepotWire
import Testing

@testable import DepotController

/// Every transition of a satellite link's state, without a socket.
@Suite struct SatelliteLinkStateMachineTests {
    static let endpoint = SatelliteEndpoint(host: "127.0.0.12", port: 3366, encryption: .plain)
    static let vulcan = ObjectKey("vulcan")

    static func welcome(hostname: String = "vulcan", protocolVersion: Int = SatelliteProtocol.version) -> Welcome {
        Welcome(
            protocolVersion: protocolVersion, satelliteVersion: "0.1.0", hostname: hostname,
            capabilities: NodeCapabilitiesDTO(storageProviders: ["FILE"]))
    }

    static func report(_ version: UInt64) -> NodeReport {
        NodeReport(appliedVersion: version, storagePools: [], resources: [])
    }

    static func progress(_ version: UInt64) -> ApplyProgress {
        ApplyProgress(version: version, resourcesDone: 1, resourcesTotal: 3, currentResource: "SharedData", currentLayer: "DRBD", elapsedMilliseconds: 1200)
    }

    /// A link that completed its handshake.
    static func online() -> SatelliteLinkStateMachine {
        var link = SatelliteLinkStateMachine(endpoint: Self.endpoint)
        _ = link.welcomed(Self.welcome(), hostnameOwner: nil)
        return link
    }

    @Test func applyDurationIsMeasuredOncePerSentVersion() {
        var link = Self.online()
        let sent = ContinuousClock.now
        link.sent(version: 4, at: sent)
        #expect(link.applyDuration(of: Self.report(3), now: sent + .seconds(1)) == nil)
        #expect(link.applyDuration(of: Self.report(4), now: sent + .seconds(2)) == .seconds(2))
        // A DRBD change re-sends the same version's report: not a second apply.
        #expect(link.applyDuration(of: Self.report(4), now: sent + .seconds(9)) == nil)
    }

    @Test func startsOfflineKnowingNothing() {
        let link = SatelliteLinkStateMachine(endpoint: Self.endpoint)
        #expect(link.status == .offline)
        #expect(link.welcome == nil)
        #expect(link.report == nil)
        #expect(link.lastError == nil)
        #expect(link.progress == nil)
        #expect(link.handledVersion == 0 && link.sentVersion == 0 && link.coveredVersion == 0)
        #expect(link.generation == 0)
    }

    // MARK: Handshake

    @Test func welcomeBringsTheLinkOnlineAndClearsTheLastError() {
        var link = SatelliteLinkStateMachine(endpoint: Self.endpoint)
        _ = link.sessionEnded(LinkError.closed)
        #expect(link.lastError == "the connection closed")
        let action = link.welcomed(Self.welcome(), hostnameOwner: nil)
        #expect(action == .proceed)
        #expect(link.status == .online)
        #expect(link.welcome == Self.welcome())
        #expect(link.lastError == nil)
    }

    @Test func welcomeInAnotherProtocolVersionIsAVersionMismatch() {
        var link = SatelliteLinkStateMachine(endpoint: Self.endpoint)
        let action = link.welcomed(Self.welcome(protocolVersion: SatelliteProtocol.version + 1), hostnameOwner: nil)
        #expect(action == .close(.unexpected("protocol version \(SatelliteProtocol.version + 1), expected \(SatelliteProtocol.version)")))
        #expect(link.status == .versionMismatch)
        #expect(link.welcome == nil)
    }

    @Test func welcomeFromAHostAnotherNodeAnswersAsIsADuplicateUname() {
        var link = SatelliteLinkStateMachine(endpoint: Self.endpoint)
        let action = link.welcomed(Self.welcome(), hostnameOwner: ObjectKey("kronos"))
        #expect(action == .close(.unexpected("satellite hostname 'vulcan' is already used by node KRONOS")))
        #expect(link.status == .duplicateUname)
        #expect(link.lastError == "node KRONOS already answers as host 'vulcan'")
        #expect(link.welcome == nil)
    }

    @Test(arguments: [
        (Refusal.Reason.versionMismatch, ConnectionStatus.versionMismatch),
        (.otherController, .otherController),
        (.authenticationError, .authenticationError),
    ])
    func refusalShowsItsReason(reason: Refusal.Reason, status: ConnectionStatus) {
        var link = SatelliteLinkStateMachine(endpoint: Self.endpoint)
        let refusal = Refusal(reason: reason, message: "not yours")
        let action = link.refused(refusal)
        #expect(action == .close(.refused(refusal)))
        #expect(link.status == status)
        #expect(link.lastError == "not yours")
    }

    // MARK: Desired states and reports

    @Test func sendingAVersionCoversIt() {
        var link = Self.online()
        link.sent(version: 7)
        #expect(link.sentVersion == 7 && link.coveredVersion == 7)
        #expect(link.handledVersion == 0)
    }

    @Test func reportOfTheSentVersionAnswersEveryVersionItCovers() {
        var link = Self.online()
        link.sent(version: 7)
        link.unchanged(at: 9)
        let taken = link.received(Self.report(7))
        #expect(taken)
        #expect(link.report == Self.report(7))
        #expect(link.handledVersion == 9)
    }

    @Test func reportOfAVersionNeverSentIsIgnored() {
        var link = Self.online()
        link.sent(version: 3)
        // A satellite that outlived a controller restart reports the old controller's versions.
        let taken = link.received(Self.report(40))
        #expect(!taken)
        #expect(link.report == nil)
        #expect(link.handledVersion == 0)
    }

    @Test func reportOfAnEarlierSentVersionAnswersOnlyThatVersion() {
        var link = Self.online()
        link.sent(version: 5)
        link.unchanged(at: 6)
        let taken = link.received(Self.report(4))
        #expect(taken)
        #expect(link.handledVersion == 4)
    }

    @Test func olderReportNeverReplacesANewerOne() {
        var link = Self.online()
        link.sent(version: 8)
        let takenNewer = link.received(Self.report(8))
        #expect(takenNewer)
        let takenOlder = link.received(Self.report(6))
        #expect(!takenOlder)
        #expect(link.report == Self.report(8))
        #expect(link.handledVersion == 8)
    }

    @Test func progressIsKeptUntilAReportCoversItsVersion() {
        var link = Self.online()
        link.sent(version: 5)
        link.progressed(Self.progress(5))
        #expect(link.progress == Self.progress(5))
        link.sent(version: 6)
        let takenEarlier = link.received(Self.report(4))
        #expect(takenEarlier)
        #expect(link.progress == Self.progress(5))
        let takenCurrent = link.received(Self.report(5))
        #expect(takenCurrent)
        #expect(link.progress == nil)
    }

    @Test func unchangedVersionIsHandledAtOnceWhenTheSentOneWasReported() {
        var link = Self.online()
        link.sent(version: 5)
        let taken = link.received(Self.report(5))
        #expect(taken)
        link.unchanged(at: 8)
        #expect(link.coveredVersion == 8)
        #expect(link.handledVersion == 8)
    }

    @Test func unchangedVersionWaitsForTheReportOfTheSentOne() {
        var link = Self.online()
        link.sent(version: 5)
        link.unchanged(at: 8)
        #expect(link.coveredVersion == 8)
        #expect(link.handledVersion == 0)
        let taken = link.received(Self.report(5))
        #expect(taken)
        #expect(link.handledVersion == 8)
    }

    @Test func reconnectRequestsRaiseTheGeneration() {
        var link = Self.online()
        link.reconnectRequested()
        link.reconnectRequested()
        #expect(link.generation == 2)
        #expect(link.status == .online)
    }

    // MARK: Session end

    @Test func droppedOnlineLinkGoesOfflineAndForgetsProgress() {
        var link = Self.online()
        link.progressed(Self.progress(1))
        let end = link.sessionEnded(LinkError.timedOut("the satellite"))
        #expect(end == SatelliteLinkStateMachine.SessionEnd(wasOnline: true))
        #expect(link.status == .offline)
        #expect(link.progress == nil)
        #expect(link.lastError == "timed out waiting for the satellite")
        // What the satellite said before stays known: node lists show its capabilities while it is away.
        #expect(link.welcome == Self.welcome())
    }

    @Test func linkThatNeverCameUpStaysOfflineQuietly() {
        var link = SatelliteLinkStateMachine(endpoint: Self.endpoint)
        let end = link.sessionEnded(LinkError.closed)
        #expect(end == SatelliteLinkStateMachine.SessionEnd())
        #expect(link.status == .offline)
    }

    @Test func rejectedCertificateIsAnAuthenticationError() {
        var link = Self.online()
        let error = LinkTLSError(.certificateRejected, "satellite 127.0.0.12:3367 rejected the certificate")
        let end = link.sessionEnded(error)
        #expect(end == SatelliteLinkStateMachine.SessionEnd(wasOnline: true, refusedStatus: .authenticationError))
        #expect(link.status == .authenticationError)
    }

    @Test func otherTLSProblemIsReportedOncePerReason() {
        var link = SatelliteLinkStateMachine(endpoint: Self.endpoint)
        let error = LinkTLSError(.notConfigured, "the controller has no TLS settings")
        let first = link.sessionEnded(error)
        #expect(first == SatelliteLinkStateMachine.SessionEnd(tlsProblem: error))
        let again = link.sessionEnded(error)
        #expect(again == SatelliteLinkStateMachine.SessionEnd())
        let otherError = LinkTLSError(.handshakeFailed, "the peer does not speak TLS")
        let other = link.sessionEnded(otherError)
        #expect(other == SatelliteLinkStateMachine.SessionEnd(tlsProblem: otherError))
        #expect(link.status == .offline)
    }

    @Test func refusedLinkKeepsShowingTheRefusal() {
        var link = SatelliteLinkStateMachine(endpoint: Self.endpoint)
        let refusal = Refusal(reason: .otherController, message: "belongs to another controller")
        guard case .close(let error) = link.refused(refusal) else {
            Issue.record("a refusal closes the session")
            return
        }
        let end = link.sessionEnded(error)
        #expect(end == SatelliteLinkStateMachine.SessionEnd(refusedStatus: .otherController))
        #expect(link.status == .otherController)
        #expect(link.lastError == "the satellite refused: belongs to another controller")
    }

    // MARK: Waiting for a version

    @Test func outcomeIsTheReportOnceTheVersionIsHandled() {
        var link = Self.online()
        link.sent(version: 3)
        let taken = link.received(Self.report(3))
        #expect(taken)
        #expect(link.outcome(handling: 3, waitedEnough: false) == .reported(Self.report(3)))
        // Even after the link dropped: the satellite did report.
        _ = link.sessionEnded(LinkError.closed)
        #expect(link.outcome(handling: 3, waitedEnough: true) == .reported(Self.report(3)))
    }

    @Test func outcomeWaitsWhileTheLinkIsUpThenSaysStillApplying() {
        var link = Self.online()
        link.sent(version: 3)
        #expect(link.outcome(handling: 3, waitedEnough: false) == nil)
        #expect(link.outcome(handling: 3, waitedEnough: true) == .stillApplying(nil))
        link.progressed(Self.progress(3))
        #expect(link.outcome(handling: 3, waitedEnough: true) == .stillApplying(Self.progress(3)))
    }

    @Test func outcomeOfALinkThatIsDownIsLinkLostWithItsError() {
        var link = Self.online()
        link.sent(version: 3)
        _ = link.sessionEnded(LinkError.closed)
        #expect(link.outcome(handling: 3, waitedEnough: false) == .linkLost("the connection closed"))
        #expect(SatelliteLinkStateMachine(endpoint: Self.endpoint).outcome(handling: 1, waitedEnough: false) == .linkLost(nil))
    }
}
