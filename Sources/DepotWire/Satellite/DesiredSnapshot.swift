/// A snapshot a node must keep, or take now.
///
/// Level-triggered like resources: a snapshot of this node that the desired state no longer lists
/// is deleted, one it lists is kept, and it is taken only while ``take`` is set, which the
/// controller does only while DRBD holds I/O on every replica of the resource.
public struct DesiredSnapshot: Codable, Sendable, Hashable {
    public var resource: String
    public var name: String
    /// Take it where it is missing (the resource's I/O is suspended now); otherwise never create it.
    public var take: Bool
    public var volumes: [DesiredSnapshotVolume]
    /// Taken for a clone: also in pools whose snapshots users cannot take (thick LVM, FILE).
    public var forClone: Bool

    public init(resource: String, name: String, take: Bool, volumes: [DesiredSnapshotVolume], forClone: Bool = false) {
        self.resource = resource
        self.name = name
        self.take = take
        self.volumes = volumes
        self.forClone = forClone
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.resource = try container.decode(String.self, forKey: .resource)
        self.name = try container.decode(String.self, forKey: .name)
        self.take = try container.decode(Bool.self, forKey: .take)
        self.volumes = try container.decode([DesiredSnapshotVolume].self, forKey: .volumes)
        self.forClone = try container.decodeIfPresent(Bool.self, forKey: .forClone) ?? false
    }

    /// Unique on a node: `<resource>/<snapshot>`.
    public var id: String { Self.id(resource: self.resource, name: self.name) }

    public static func id(resource: String, name: String) -> String { resource + "/" + name }
}

/// One volume of a snapshot and the pool that holds it.
public struct DesiredSnapshotVolume: Codable, Sendable, Hashable {
    public var number: Int
    public var storagePool: String

    public init(number: Int, storagePool: String) {
        self.number = number
        self.storagePool = storagePool
    }
}

/// A new volume's content: a snapshot of the same volume number of another resource, in the same pool or another.
public struct DesiredRestore: Codable, Sendable, Equatable {
    public var resource: String
    public var snapshot: String
    /// The node's pool that holds the snapshot, when it is not the volume's own: the satellite
    /// copies the snapshot's data into the new volume.
    public var sourcePool: String?

    public init(resource: String, snapshot: String, sourcePool: String? = nil) {
        self.resource = resource
        self.snapshot = snapshot
        self.sourcePool = sourcePool
    }
}

/// Put every volume of the resource back to a snapshot, once.
///
/// ``id`` makes it happen once: the satellite remembers the rollbacks it did (in its state
/// directory) and reports the last one, so a desired state repeated after a reconnect cannot roll
/// back data written after the rollback.
public struct DesiredRollback: Codable, Sendable, Equatable {
    public var snapshot: String
    public var id: String

    public init(snapshot: String, id: String) {
        self.snapshot = snapshot
        self.id = id
    }
}

/// What exists of a snapshot on the node, or why it could not be taken or deleted.
public struct SnapshotReport: Codable, Sendable, Equatable {
    public var resource: String
    public var name: String
    /// Volume numbers whose snapshot exists.
    public var volumes: [Int]
    public var failure: CommandFailureDTO?

    public init(resource: String, name: String, volumes: [Int], failure: CommandFailureDTO?) {
        self.resource = resource
        self.name = name
        self.volumes = volumes
        self.failure = failure
    }

    public var id: String { DesiredSnapshot.id(resource: self.resource, name: self.name) }
}
