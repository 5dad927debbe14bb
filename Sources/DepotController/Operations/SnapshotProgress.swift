import DepotModel
import DepotWire
import HashTreeCollections

/// Moves snapshots through their phases from what the satellites report, and rollbacks and
/// restores to their end.
///
/// Each step waits for every involved node: I/O held on every active DRBD replica of the
/// definition, then the snapshot on each of its nodes, then I/O running again everywhere. A node
/// that drops off or reports a failure turns the snapshot to ``SnapshotPhase/aborting``: I/O runs
/// again and the partial snapshots go, so nothing stays suspended and no half snapshot is kept.
extension ClusterTransaction {
    /// - Parameter reports: each node's last snapshot reports, by ``SnapshotReport/id``.
    mutating func advanceSnapshots(reports: [ObjectKey: [String: SnapshotReport]]) {
        let active = self.model.snapshotsInProgress.compactMap { self.model.snapshots[$0] }
        var steps: [SnapshotKey: SnapshotDefinition] = [:]
        for snapshot in active {
            if let next = self.nextStep(of: snapshot, reports: reports) { steps[snapshot.key] = next }
        }
        // Snapshots taken together advance together; one that aborts takes the others with it.
        for members in Dictionary(grouping: active.filter { $0.group != nil }, by: { $0.group ?? "" }).values {
            if let failed = members.compactMap({ steps[$0.key] }).first(where: { $0.phase == .aborting }) {
                for member in members where member.phase != .aborting && member.phase != nil {
                    steps[member.key] = Self.aborted(
                        member, flag: SnapshotFlag.failedDeployment, "Snapshot '\(failed.name)' of '\(failed.resourceName)' taken with it failed: \(failed.failure ?? "")")
                }
            } else if !members.allSatisfy({ steps[$0.key] != nil && $0.phase == members.first?.phase }) {
                for member in members where member.phase != .aborting { steps[member.key] = nil }
            }
        }
        for next in steps.values { self.put(next) }
    }

    private func nextStep(of snapshot: SnapshotDefinition, reports: [ObjectKey: [String: SnapshotReport]]) -> SnapshotDefinition? {
        let holders = self.model.activeDRBDReplicas(ofDefinition: snapshot.key.resource)
        let takers = snapshot.nodes.keys.sorted()
        let id = DesiredSnapshot.id(resource: snapshot.resourceName, name: snapshot.name)
        let involved = Set(holders.map(\.nodeName)).union(takers).sorted()
        let running = holders.allSatisfy { !self.isOnline($0.key.node) || self.observed($0.key)?.ioSuspended != true }
        var next = snapshot
        switch snapshot.phase {
        case nil:
            return nil
        case .aborting:
            // A node reports a partial snapshot for as long as it could not delete it.
            let gone = takers.allSatisfy { node in !self.isOnline(ObjectKey(node)) || reports[ObjectKey(node)]?[id] == nil }
            guard running, gone else { return nil }
            next.phase = nil
            return next
        case .suspending, .taking, .resuming:
            break
        }
        if snapshot.phase != .resuming, let offline = involved.first(where: { !self.isOnline(ObjectKey($0)) }) {
            return Self.aborted(
                snapshot, flag: SnapshotFlag.failedDisconnect,
                "Node '\(offline)' lost its connection to the controller while the snapshot was being taken.")
        }
        switch snapshot.phase {
        case .suspending:
            // Only a failed suspend aborts here: a replica may report another, passing failure (a
            // peer still coming up); the timeout covers a suspend that never comes.
            for holder in holders {
                if let failure = self.observed(holder.key)?.ioSuspendFailure {
                    return Self.aborted(snapshot, flag: SnapshotFlag.failedDeployment, "Suspending I/O on node '\(holder.nodeName)' failed: \(failure.message)")
                }
            }
            guard holders.allSatisfy({ self.observed($0.key)?.ioSuspended == true }) else { return nil }
            next.phase = .taking
        case .taking:
            var taken = true
            for node in takers {
                let report = reports[ObjectKey(node)]?[id]
                if let failure = report?.failure {
                    return Self.aborted(snapshot, flag: SnapshotFlag.failedDeployment, "Taking the snapshot on node '\(node)' failed: \(failure.message)")
                }
                if !Set(snapshot.volumes.keys).isSubset(of: report?.volumes ?? []) { taken = false }
            }
            guard taken else { return nil }
            next.phase = .resuming
        case .resuming:
            guard running else { return nil }
            next.phase = nil
            next.flags.insert(SnapshotFlag.successful)
            for node in next.nodes.keys { next.nodes[node]?.createTimestamp = self.now }
        case .aborting, nil:
            return nil
        }
        return next
    }

    private static func aborted(_ snapshot: SnapshotDefinition, flag: String, _ reason: String) -> SnapshotDefinition {
        var aborted = snapshot
        aborted.phase = .aborting
        aborted.failure = reason
        aborted.flags.insert(flag)
        return aborted
    }

    /// Gives up on a snapshot that did not finish in time (or when the controller restarted while it
    /// was taken): I/O resumes everywhere and its partial copies go.
    mutating func abortSnapshot(_ key: SnapshotKey, reason: String) {
        guard let snapshot = self.model.snapshots[key], snapshot.phase != nil, snapshot.phase != .aborting else { return }
        self.put(Self.aborted(snapshot, flag: SnapshotFlag.failedDeployment, reason))
    }

    /// Snapshots left in a phase by a controller that stopped are aborted: the satellites resume I/O
    /// as soon as they get their state.
    mutating func abortInterruptedSnapshots() {
        for snapshot in self.model.snapshotsInProgress.compactMap({ self.model.snapshots[$0] }) where snapshot.phase != .aborting {
            self.abortSnapshot(snapshot.key, reason: "The controller restarted while the snapshot was being taken.")
        }
    }

    /// A node reported a rollback done, or a restored replica's volumes there: the controller stops asking.
    mutating func recordFinished(rollbacks: [ObjectKey: String], restored: Set<ResourceKey>, node: ObjectKey) {
        for (definitionKey, id) in rollbacks {
            guard var definition = self.model.resourceDefinitions[definitionKey], var rollback = definition.rollback, rollback.id == id else { continue }
            // A node whose replica went meanwhile has nothing left to roll back.
            rollback.waitingFor = rollback.waitingFor.filter {
                ObjectKey($0) != node && self.model.resources[ResourceKey(resource: definitionKey, node: ObjectKey($0))] != nil
            }
            definition.rollback = rollback.waitingFor.isEmpty ? nil : rollback
            self.put(definition)
        }
        for key in restored {
            guard var resource = self.model.resources[key], resource.flags.remove(ResourceFlag.restoreFromSnapshot) != nil else { continue }
            self.put(resource)
        }
    }
}
