/// The difference between two desired states of one node, sent instead of the whole state.
///
/// A node with thousands of resources would otherwise cost a whole encode, transfer and decode of
/// its state on every change, however small. Within one link session the satellite keeps the state
/// it was last sent and applies the change to it: the first state of a session is always whole, and
/// a change names the version it applies to so that a gap is an error, never a silent divergence.
public struct DesiredStateChange: Codable, Sendable, Equatable {
    /// The version of the state this change applies to.
    public var baseVersion: UInt64
    public var version: UInt64
    /// Whole: a node has few pools.
    public var storagePools: [DesiredStoragePool]
    /// Resources that are new or differ from the base state, whole.
    public var changed: [DesiredResource]
    /// Names of resources the base state had and this one has not.
    public var removed: [String]
    /// Snapshots that are new or differ from the base state, whole.
    public var changedSnapshots: [DesiredSnapshot]
    /// Ids (``DesiredSnapshot/id``) of snapshots the base state had and this one has not.
    public var removedSnapshots: [String]

    public init(from base: DesiredNodeState, to new: DesiredNodeState) {
        self.baseVersion = base.version
        self.version = new.version
        self.storagePools = new.storagePools
        (self.changed, self.removed) = Self.difference(from: base.resources, to: new.resources, name: \.name)
        (self.changedSnapshots, self.removedSnapshots) = Self.difference(from: base.snapshots, to: new.snapshots, name: \.id)
    }

    /// True when applying this change to `base` gives the same state (its version aside).
    public func changesNothing(in base: DesiredNodeState) -> Bool {
        self.changed.isEmpty && self.removed.isEmpty && self.changedSnapshots.isEmpty && self.removedSnapshots.isEmpty
            && self.storagePools == base.storagePools
    }

    /// `base` with this change applied: changed resources replace theirs in place, new ones follow.
    public func applied(to base: DesiredNodeState) throws(StateChangeError) -> DesiredNodeState {
        guard base.version == self.baseVersion else { throw StateChangeError(expectedBase: self.baseVersion, actualBase: base.version) }
        return DesiredNodeState(
            version: self.version, nodeName: base.nodeName, storagePools: self.storagePools,
            resources: Self.merge(base.resources, changed: self.changed, removed: self.removed, name: \.name),
            snapshots: Self.merge(base.snapshots, changed: self.changedSnapshots, removed: self.removedSnapshots, name: \.id))
    }

    static func difference<Item: Equatable>(from old: [Item], to new: [Item], name: (Item) -> String) -> (changed: [Item], removed: [String]) {
        let previous = Dictionary(old.map { (name($0), $0) }, uniquingKeysWith: { _, last in last })
        let changed = new.filter { previous[name($0)] != $0 }
        let kept = Set(new.map(name))
        return (changed, old.map(name).filter { !kept.contains($0) })
    }

    static func merge<Item>(_ base: [Item], changed: [Item], removed: [String], name: (Item) -> String) -> [Item] {
        let gone = Set(removed)
        var replacements = Dictionary(changed.map { (name($0), $0) }, uniquingKeysWith: { _, last in last })
        var merged: [Item] = []
        merged.reserveCapacity(base.count + changed.count)
        for item in base where !gone.contains(name(item)) {
            merged.append(replacements.removeValue(forKey: name(item)) ?? item)
        }
        merged += changed.filter { replacements[name($0)] != nil }
        return merged
    }
}

/// The difference between two reports of one node, sent instead of the whole report.
///
/// Within one link session the controller keeps the report it was last sent; the first report of a
/// session is always whole.
public struct NodeReportChange: Codable, Sendable, Equatable {
    public var appliedVersion: UInt64
    /// Whole: a node has few pools.
    public var storagePools: [StoragePoolReport]
    /// Resource reports that are new or differ from the previous report, whole.
    public var changed: [ResourceReport]
    /// Names of resources the previous report had and this one has not.
    public var removed: [String]
    public var changedSnapshots: [SnapshotReport]
    public var removedSnapshots: [String]

    public init(from previous: NodeReport, to new: NodeReport) {
        self.appliedVersion = new.appliedVersion
        self.storagePools = new.storagePools
        (self.changed, self.removed) = DesiredStateChange.difference(from: previous.resources, to: new.resources, name: \.name)
        (self.changedSnapshots, self.removedSnapshots) = DesiredStateChange.difference(from: previous.snapshots, to: new.snapshots, name: \.id)
    }

    /// True when the new report says nothing the previous one did not.
    public func isEmpty(comparedTo previous: NodeReport) -> Bool {
        self.changed.isEmpty && self.removed.isEmpty && self.changedSnapshots.isEmpty && self.removedSnapshots.isEmpty
            && self.appliedVersion == previous.appliedVersion && self.storagePools == previous.storagePools
    }

    /// `previous` with this change applied.
    public func applied(to previous: NodeReport) -> NodeReport {
        NodeReport(
            appliedVersion: self.appliedVersion, storagePools: self.storagePools,
            resources: DesiredStateChange.merge(previous.resources, changed: self.changed, removed: self.removed, name: \.name),
            snapshots: DesiredStateChange.merge(previous.snapshots, changed: self.changedSnapshots, removed: self.removedSnapshots, name: \.id))
    }
}

/// A desired-state change arrived for another state than the one the satellite holds: the link is
/// out of step and must start again with a whole state.
public struct StateChangeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var expectedBase: UInt64
    public var actualBase: UInt64

    public init(expectedBase: UInt64, actualBase: UInt64) {
        self.expectedBase = expectedBase
        self.actualBase = actualBase
    }

    public var description: String {
        "a desired-state change for version \(self.expectedBase) arrived while the satellite holds version \(self.actualBase); reconnecting for a whole state"
    }
}
