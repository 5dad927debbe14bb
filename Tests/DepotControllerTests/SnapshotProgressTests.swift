import DepotModel
import DepotWire
import HashTreeCollections
import Testing

@testable import DepotController

/// How a snapshot moves through its phases from the satellites' reports, and what the desired
/// states ask of each node at each phase.
@Suite struct SnapshotProgressTests {
    static let key = SnapshotKey(resource: ObjectKey("SharedData"), snapshot: ObjectKey("Snap1"))

    /// SharedData on kronos, remus and vulcan; Snap1 registered on kronos and remus.
    static func registered(online: Set<String> = ["kronos", "remus", "vulcan"]) throws -> ClusterModel {
        var transaction = ClusterTransaction(
            model: try DRBDAutomationTests.shared(on: ["kronos", "remus", "vulcan"]).model, now: 5, isOnline: { key in online.contains { ObjectKey($0) == key } })
        _ = try transaction.createSnapshot("SharedData", NewSnapshot(name: "Snap1", nodes: ["kronos", "remus"]))
        return transaction.model
    }

    /// One step with these reports: which nodes hold I/O, and which took the snapshot (or failed it).
    static func step(
        _ model: ClusterModel, suspended: Set<String>, taken: Set<String> = [], failed: [String: String] = [:], online: Set<String> = ["kronos", "remus", "vulcan"],
        replicaFailures: [String: String] = [:]
    ) -> ClusterModel {
        var transaction = ClusterTransaction(
            model: model, now: 9, isOnline: { key in online.contains { ObjectKey($0) == key } },
            observed: { key in
                var report = ResourceReport(name: "SharedData", volumes: [], failure: nil)
                report.ioSuspended = suspended.contains { ObjectKey($0) == key.node }
                report.failure = replicaFailures.first { ObjectKey($0.key) == key.node }.map {
                    CommandFailureDTO(message: $0.value, commandLine: nil, exitCode: nil, stderrTail: nil)
                }
                // The satellite names a failed suspend on its own (DRBDLayer's hold).
                if report.failure?.message.hasPrefix("Suspending I/O") == true { report.ioSuspendFailure = report.failure }
                return report
            })
        var reports: [ObjectKey: [String: SnapshotReport]] = [:]
        for node in taken.union(failed.keys) {
            let failure = failed[node].map { CommandFailureDTO(message: $0, commandLine: nil, exitCode: nil, stderrTail: nil) }
            let report = SnapshotReport(resource: "SharedData", name: "Snap1", volumes: failure == nil ? [0] : [], failure: failure)
            reports[ObjectKey(node)] = [report.id: report]
        }
        transaction.advanceSnapshots(reports: reports)
        return transaction.model
    }

    static func desired(_ model: ClusterModel, _ node: String) -> DesiredNodeState? {
        DesiredStateBuilder.state(
            for: ObjectKey(node),
            in: ClusterSnapshot(version: 1, model: model, resourceJSON: [:], definitionJSON: [:], order: ClusterSnapshot.SortedKeys(model: model)))
    }

    @Test func eachStepWaitsForEveryReplicaAndIOIsHeldOnAllOfThem() throws {
        var model = try Self.registered()
        #expect(model.snapshots[Self.key]?.phase == .suspending)
        // vulcan takes no snapshot but holds I/O too: a Primary there writes to every disk.
        for node in ["kronos", "remus", "vulcan"] {
            #expect(Self.desired(model, node)?.resources.first?.suspendIO == true)
            #expect(Self.desired(model, node)?.snapshots.isEmpty == true)
        }
        model = Self.step(model, suspended: ["kronos", "remus"])
        #expect(model.snapshots[Self.key]?.phase == .suspending)
        model = Self.step(model, suspended: ["kronos", "remus", "vulcan"])
        #expect(model.snapshots[Self.key]?.phase == .taking)
        #expect(Self.desired(model, "kronos")?.snapshots.map(\.take) == [true])
        #expect(Self.desired(model, "vulcan")?.snapshots.isEmpty == true)
        model = Self.step(model, suspended: ["kronos", "remus", "vulcan"], taken: ["kronos"])
        #expect(model.snapshots[Self.key]?.phase == .taking)
        model = Self.step(model, suspended: ["kronos", "remus", "vulcan"], taken: ["kronos", "remus"])
        #expect(model.snapshots[Self.key]?.phase == .resuming)
        #expect(Self.desired(model, "vulcan")?.resources.first?.suspendIO == nil)
        #expect(Self.desired(model, "kronos")?.snapshots.map(\.take) == [false])
        model = Self.step(model, suspended: ["vulcan"], taken: ["kronos", "remus"])
        #expect(model.snapshots[Self.key]?.phase == .resuming)
        model = Self.step(model, suspended: [], taken: ["kronos", "remus"])
        let done = try #require(model.snapshots[Self.key])
        #expect(done.phase == nil && done.flags == [SnapshotFlag.successful])
        #expect(done.nodes.values.allSatisfy { $0.createTimestamp == 9 })
    }

    @Test func aNodeThatDropsOffAbortsResumesEverywhereAndRemovesThePartialSnapshots() throws {
        var model = try Self.registered()
        model = Self.step(model, suspended: ["kronos", "remus", "vulcan"])
        model = Self.step(model, suspended: ["kronos", "remus"], online: ["kronos", "remus"])
        let aborting = try #require(model.snapshots[Self.key])
        #expect(aborting.phase == .aborting && aborting.flags == [SnapshotFlag.failedDisconnect])
        #expect(aborting.failure?.contains("Node 'vulcan' lost its connection") == true)
        for node in ["kronos", "remus", "vulcan"] {
            #expect(Self.desired(model, node)?.resources.first?.suspendIO == nil)
            #expect(Self.desired(model, node)?.snapshots.isEmpty == true)
        }
        // Aborted only once the online nodes resumed and removed what they took.
        model = Self.step(model, suspended: [], taken: ["kronos"], online: ["kronos", "remus"])
        #expect(model.snapshots[Self.key]?.phase == .aborting)
        model = Self.step(model, suspended: [], online: ["kronos", "remus"])
        #expect(model.snapshots[Self.key]?.phase == nil)
        #expect(model.snapshots[Self.key]?.isSuccessful == false)
    }

    @Test func onlyAFailedSuspendAbortsWhileIOIsBeingHeld() throws {
        var model = try Self.registered()
        // A replica still reporting an older failure (a peer coming up) is waited for.
        model = Self.step(model, suspended: ["kronos", "remus"], replicaFailures: ["vulcan": "Adjusting DRBD resource 'SharedData' failed."])
        #expect(model.snapshots[Self.key]?.phase == .suspending)
        model = Self.step(model, suspended: ["kronos", "remus"], replicaFailures: ["vulcan": "Suspending I/O of DRBD resource 'SharedData' failed."])
        #expect(model.snapshots[Self.key]?.phase == .aborting)
        #expect(model.snapshots[Self.key]?.failure == "Suspending I/O on node 'vulcan' failed: Suspending I/O of DRBD resource 'SharedData' failed.")
    }

    @Test func aStorageFailureAbortsWithTheSatellitesReason() throws {
        var model = try Self.registered()
        model = Self.step(model, suspended: ["kronos", "remus", "vulcan"])
        model = Self.step(model, suspended: ["kronos", "remus", "vulcan"], taken: ["kronos"], failed: ["remus": "lvcreate: not enough space"])
        let aborting = try #require(model.snapshots[Self.key])
        #expect(aborting.flags == [SnapshotFlag.failedDeployment])
        #expect(aborting.failure == "Taking the snapshot on node 'remus' failed: lvcreate: not enough space")
    }

    @Test func refusalsNameTheCauseAndChangeNothing() throws {
        var transaction = try DRBDAutomationTests.shared(on: ["kronos", "remus", "vulcan"])
        transaction = ClusterTransaction(model: transaction.model, now: 5, isOnline: { $0 != ObjectKey("vulcan") })
        #expect(throws: DepotError.self) { try transaction.createSnapshot("SharedData", NewSnapshot(name: "Snap1")) }
        #expect(transaction.model.snapshots.isEmpty)
        let model = try Self.registered()
        transaction = ClusterTransaction(model: model, now: 6, isOnline: { _ in true })
        do {
            _ = try transaction.deleteResourceDefinition("SharedData")
            Issue.record("a definition with snapshots was deleted")
        } catch {
            #expect(error.code == .failExistsSnapshotDefinition)
        }
        do {
            _ = try transaction.rollback("SharedData", to: "Snap1")
            Issue.record("a rollback to an incomplete snapshot was accepted")
        } catch {
            #expect(error.message == "Unable to use failed snapshot")
        }
    }

    @Test func aRestartAbortsASnapshotLeftHalfway() throws {
        var transaction = ClusterTransaction(model: try Self.registered(), now: 7)
        transaction.abortInterruptedSnapshots()
        #expect(transaction.model.snapshots[Self.key]?.phase == .aborting)
        #expect(transaction.model.snapshots[Self.key]?.failure == "The controller restarted while the snapshot was being taken.")
    }
}

/// When scheduled snapshots are due, what they are called and which are pruned.
@Suite struct AutoSnapshotScheduleTests {
    static func model(runEvery: String?) throws -> ClusterModel {
        var transaction = try DRBDAutomationTests.shared(on: ["kronos", "remus"])
        var definition = try transaction.model.resourceDefinition("SharedData")
        definition.props[AutoSnapshotSchedule.runEveryKey] = runEvery
        transaction.put(definition)
        return transaction.model
    }

    @Test func aDefinitionAtStartWaitsAnIntervalOneThatGetsItLaterRunsAtOnce() throws {
        var schedule = AutoSnapshotSchedule()
        let start = ContinuousClock.now
        #expect(schedule.due(in: try Self.model(runEvery: "10"), now: start).isEmpty)
        #expect(schedule.due(in: try Self.model(runEvery: "10"), now: start + .seconds(599)).isEmpty)
        #expect(schedule.due(in: try Self.model(runEvery: "10"), now: start + .seconds(600)) == [ObjectKey("SharedData")])
        #expect(schedule.due(in: try Self.model(runEvery: "10"), now: start + .seconds(601)).isEmpty)
        // Removed, then set again: a new schedule, which runs at once.
        #expect(schedule.due(in: try Self.model(runEvery: nil), now: start + .seconds(700)).isEmpty)
        #expect(schedule.due(in: try Self.model(runEvery: "10"), now: start + .seconds(701)) == [ObjectKey("SharedData")])
        // A changed interval moves the next run only.
        #expect(schedule.due(in: try Self.model(runEvery: "20"), now: start + .seconds(702)).isEmpty)
        #expect(schedule.due(in: try Self.model(runEvery: "0"), now: start + .seconds(5000)).isEmpty)
    }

    @Test func namesCountUpAndOnlyAutomaticSnapshotsArePruned() throws {
        var transaction = ClusterTransaction(model: try Self.model(runEvery: "10"), now: 5, isOnline: { _ in true })
        var definition = try transaction.model.resourceDefinition("SharedData")
        definition.props[AutoSnapshotSchedule.keepKey] = "1"
        transaction.put(definition)
        for name in ["autoSnap00001", "autoSnap00002", "Manual"] {
            var snapshot = SnapshotDefinition(resourceName: "SharedData", name: name, layerStack: [.drbd, .storage], uuid: name)
            snapshot.flags = name == "Manual" ? [SnapshotFlag.successful] : [SnapshotFlag.successful, SnapshotFlag.autoSnapshot]
            transaction.put(snapshot)
        }
        definition = try transaction.model.resourceDefinition("SharedData")
        definition.props[AutoSnapshotSchedule.nextIDKey] = "1"
        transaction.put(definition)
        _ = try transaction.createAutoSnapshot(ObjectKey("SharedData"))
        #expect(transaction.model.snapshots[SnapshotKey(resource: ObjectKey("SharedData"), snapshot: ObjectKey("autoSnap00003"))] != nil, "00002 exists: skipped")
        #expect(try transaction.model.resourceDefinition("SharedData").props[AutoSnapshotSchedule.nextIDKey] == "3")
        let replies = try transaction.pruneAutoSnapshots(ObjectKey("SharedData"))
        #expect(replies.first?.message == "AutoSnapshot cleanup: deleting snapshot autoSnap00001")
        #expect(Set(transaction.model.snapshots.values.map(\.name)) == ["autoSnap00002", "autoSnap00003", "Manual"], "the one being taken stays")
    }
}
