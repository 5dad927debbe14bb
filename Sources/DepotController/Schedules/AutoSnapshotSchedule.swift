import DepotModel
import HashTreeCollections

/// When each resource definition takes its next automatic snapshot (LINSTOR's `AutoSnapshot/RunEvery`
/// minutes, on the definition, its group or the controller).
///
/// Kept in memory, as LINSTOR keeps it: after a controller start every definition's first
/// automatic snapshot is one interval away; a definition that gets `RunEvery` while the controller
/// runs takes one at once.
struct AutoSnapshotSchedule: Sendable {
    static let runEveryKey = "AutoSnapshot/RunEvery"
    static let keepKey = "AutoSnapshot/Keep"
    static let nextIDKey = "AutoSnapshot/NextAutoId"
    static let prefix = "autoSnap"
    static let defaultKeep = 10

    /// Per definition: its interval in minutes and when it runs next.
    private var plans: [ObjectKey: (minutes: Int, next: ContinuousClock.Instant)] = [:]
    private var started = false

    /// The definitions whose automatic snapshot is due at `now`; each is scheduled again one interval on.
    mutating func due(in model: ClusterModel, now: ContinuousClock.Instant) -> [ObjectKey] {
        var seen: Set<ObjectKey> = []
        var due: [ObjectKey] = []
        // Only definitions that can have the setting are resolved (it is looked at every few seconds).
        let everywhere = model.controllerProps[Self.runEveryKey] != nil
        let groups = Set(model.resourceGroups.values.filter { $0.props[Self.runEveryKey] != nil }.map(\.key))
        for definition in model.resourceDefinitions.values
        where everywhere || definition.props[Self.runEveryKey] != nil || groups.contains(ObjectKey(definition.resourceGroupName)) {
            guard let minutes = Self.interval(of: definition, in: model) else { continue }
            let key = definition.key
            seen.insert(key)
            let plan = self.plans[key]
            if let plan, plan.minutes == minutes, now < plan.next { continue }
            // Due at its time, or at once when it is new while the controller runs; a changed
            // interval, and the controller's start, only set the next run.
            if plan?.minutes == minutes || (plan == nil && self.started) { due.append(key) }
            self.plans[key] = (minutes, now + .seconds(minutes * 60))
        }
        self.plans = self.plans.filter { seen.contains($0.key) }
        self.started = true
        return due.sorted()
    }

    /// `AutoSnapshot/RunEvery` in effect for the definition, when it is a positive number of minutes.
    static func interval(of definition: ResourceDefinition, in model: ClusterModel) -> Int? {
        guard let text = model.effectiveProperties(of: definition)[Self.runEveryKey], let minutes = Int(text), minutes > 0 else { return nil }
        return minutes
    }

    /// How many automatic snapshots the definition keeps (`AutoSnapshot/Keep`; 0 or less keeps all).
    static func keep(of definition: ResourceDefinition, in model: ClusterModel) -> Int {
        model.effectiveProperties(of: definition)[Self.keepKey].flatMap { Int($0) } ?? Self.defaultKeep
    }

    /// Whether a snapshot is one the schedule took (and may prune): flagged and named so.
    static func isAutomatic(_ snapshot: SnapshotDefinition) -> Bool {
        guard snapshot.flags.contains(SnapshotFlag.autoSnapshot), snapshot.name.hasPrefix(Self.prefix) else { return false }
        let digits = snapshot.name.dropFirst(Self.prefix.count)
        return !digits.isEmpty && digits.allSatisfy { ("0"..."9").contains($0) }
    }
}

extension ClusterTransaction {
    /// Registers the definition's next automatic snapshot (`autoSnap00001`, …) on its diskful nodes.
    mutating func createAutoSnapshot(_ definitionKey: ObjectKey) throws(DepotError) -> [Reply] {
        var definition = try self.model.resourceDefinition(definitionKey.rawValue)
        var number = Int(definition.props[AutoSnapshotSchedule.nextIDKey] ?? "") ?? 0
        var name: String
        repeat {
            number += 1
            let digits = String(number)
            name = AutoSnapshotSchedule.prefix + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
        } while self.model.snapshots[SnapshotKey(resource: definition.key, snapshot: ObjectKey(name))] != nil
        definition.props[AutoSnapshotSchedule.nextIDKey] = String(number)
        self.put(definition)
        return try self.createSnapshot(definition.name, NewSnapshot(name: name, flags: [SnapshotFlag.autoSnapshot]))
    }

    /// Deletes the oldest automatic snapshots beyond the definition's `AutoSnapshot/Keep`; manual
    /// snapshots are never touched.
    mutating func pruneAutoSnapshots(_ definitionKey: ObjectKey) throws(DepotError) -> [Reply] {
        guard let definition = self.model.resourceDefinitions[definitionKey] else { return [] }
        let keep = AutoSnapshotSchedule.keep(of: definition, in: self.model)
        guard keep > 0 else { return [] }
        let automatic = self.model.snapshots(of: definitionKey).filter { AutoSnapshotSchedule.isAutomatic($0) && $0.phase == nil }
        var replies: [Reply] = []
        for snapshot in automatic.dropLast(keep) {
            replies.append(Reply(.deleted, "AutoSnapshot cleanup: deleting snapshot \(snapshot.name)", objectReferences: ["RscDfn": definition.name, "Snapshot": snapshot.name]))
            replies += try self.deleteSnapshot(definition.name, snapshot.name, nodes: [])
        }
        return replies
    }
}
