/// The objects whose properties can decide a setting, as LINSTOR's `PriorityProps` knows them.
public enum PropertyLevel: String, Sendable, Hashable, CaseIterable {
    case controller
    case node
    case storagePool
    case resourceGroup
    case volumeGroup
    case resourceDefinition
    case volumeDefinition
    case resource
    case volume
    case nodeConnection
    case resourceConnection
}

/// The properties that apply to one object: its own and those it inherits, highest precedence first.
///
/// LINSTOR never copies inherited properties onto an object; every reader asks the chain of objects
/// above it and the first one that sets a key wins. Depot keeps that rule in this one type so that
/// every caller (storage pool choice, DRBD options, the storage driver's settings, quorum) orders the
/// levels the same way. The orders come from LINSTOR (`PriorityProps` in its controller and satellite):
///
/// - resource: resource, resource definition, resource group, node, controller
/// - volume: volume, resource, volume definition, volume group, resource definition, resource group,
///   node, controller
/// - resource definition: resource definition, resource group, controller
/// - storage pool: storage pool, node, controller
/// - DRBD connection: resource connection, resource definition, node connection, resource group, controller
public struct EffectiveProperties: Sendable, Equatable {
    /// One object's own properties in the chain.
    public struct Level: Sendable, Equatable {
        public var kind: PropertyLevel
        public var props: [String: String]

        public init(_ kind: PropertyLevel, _ props: [String: String]) {
            self.kind = kind
            self.props = props
        }
    }

    /// Highest precedence first.
    public private(set) var levels: [Level]

    /// A chain in the given order; a missing object (`nil`) is left out.
    public init(_ levels: [(PropertyLevel, [String: String]?)]) {
        self.levels = levels.compactMap { kind, props in props.map { Level(kind, $0) } }
    }

    /// The value of the first level that sets `key`.
    public subscript(key: String) -> String? {
        self.levels.lazy.compactMap { $0.props[key] }.first
    }

    /// The level whose value ``subscript(_:)`` returns.
    public func winner(of key: String) -> PropertyLevel? {
        self.levels.first { $0.props[key] != nil }?.kind
    }

    /// Every level that sets `key`, highest first (the winner and the values it shadows).
    public func levels(setting key: String) -> [PropertyLevel] {
        self.levels.filter { $0.props[key] != nil }.map(\.kind)
    }

    /// The effective value of every key `include` accepts.
    ///
    /// - Parameter owners: when given, only keys that one of these levels sets; their values still
    ///   come from the whole chain, so a higher level can override them.
    public func values(where include: (String) -> Bool, setOn owners: Set<PropertyLevel>? = nil) -> [String: String] {
        var values: [String: String] = [:]
        for level in self.levels {
            for (key, value) in level.props where values[key] == nil && include(key) {
                values[key] = value
            }
        }
        guard let owners else { return values }
        let owned = Set(self.levels.filter { owners.contains($0.kind) }.flatMap(\.props.keys))
        return values.filter { owned.contains($0.key) }
    }
}

extension EffectiveProperties {
    /// A replica's chain: resource, resource definition, resource group, node, controller.
    public static func resource(
        _ resource: [String: String], definition: [String: String]?, group: [String: String]?, node: [String: String]?,
        controller: [String: String]
    ) -> EffectiveProperties {
        EffectiveProperties([
            (.resource, resource), (.resourceDefinition, definition), (.resourceGroup, group), (.node, node), (.controller, controller),
        ])
    }

    /// A resource definition's chain: definition, resource group, controller.
    public static func resourceDefinition(_ definition: [String: String], group: [String: String]?, controller: [String: String]) -> EffectiveProperties {
        EffectiveProperties([(.resourceDefinition, definition), (.resourceGroup, group), (.controller, controller)])
    }

    /// A storage pool's chain: pool, node, controller.
    public static func storagePool(_ pool: [String: String], node: [String: String]?, controller: [String: String]) -> EffectiveProperties {
        EffectiveProperties([(.storagePool, pool), (.node, node), (.controller, controller)])
    }

    /// A node's chain: node, controller.
    public static func node(_ node: [String: String], controller: [String: String]) -> EffectiveProperties {
        EffectiveProperties([(.node, node), (.controller, controller)])
    }

    /// One volume of a replica, from this replica's chain: the volume first, then the resource, then
    /// its volume definition and volume group, then the rest of the replica's chain.
    public func volume(_ volume: [String: String]?, definition: [String: String]?, group: [String: String]?) -> EffectiveProperties {
        var levels: [(PropertyLevel, [String: String]?)] = [(.volume, volume)]
        for level in self.levels {
            levels.append((level.kind, level.props))
            if level.kind == .resource { levels += [(.volumeDefinition, definition), (.volumeGroup, group)] }
        }
        return EffectiveProperties(levels)
    }

    /// A DRBD connection between two replicas' nodes: resource connection, resource definition, node
    /// connection, resource group, controller.
    public static func connection(
        resourceConnection: [String: String]?, definition: [String: String]?, nodeConnection: [String: String]?, group: [String: String]?,
        controller: [String: String]
    ) -> EffectiveProperties {
        EffectiveProperties([
            (.resourceConnection, resourceConnection), (.resourceDefinition, definition), (.nodeConnection, nodeConnection),
            (.resourceGroup, group), (.controller, controller),
        ])
    }
}
