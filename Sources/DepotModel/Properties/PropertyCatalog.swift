/// Every property key Depot accepts: LINSTOR's whitelist (linstor-common's property list plus the
/// DRBD options of `drbdsetup xml-help`) and the few keys and namespaces Depot adds.
///
/// One table, read by validation (``PropertyRules``), the `GET …/properties/info` endpoints and the
/// CLI's `set-property` help, so the three can never disagree about what a key takes.
public enum PropertyCatalog {
    /// Every exact key, sorted by key.
    public static let definitions: [PropertyDefinition] = {
        let namespaces = Self.namespaces
        let exact = Self.linstorKeys + Self.drbdOptionKeys + Self.depotKeys
        return exact.map { definition in
            // A key below one of Depot's namespaces, or one Depot took on more objects before the
            // catalogue, keeps those objects as well.
            let wider = namespaces.filter { definition.key.hasPrefix($0.key) }.map(\.owners) + [Self.depotWiderOwners[definition.key] ?? []]
            return definition.adding(owners: wider.reduce(into: Set()) { $0.formUnion($1) })
        }
        .sorted { $0.key < $1.key }
    }()

    /// Namespaces (keys ending in `/`) whose sub-keys are all accepted with the namespace's value rule.
    /// Exact keys win over a namespace.
    public static let namespaces: [PropertyDefinition] = Self.depotNamespaces

    private static let byKey: [String: PropertyDefinition] = Dictionary(
        uniqueKeysWithValues: Self.definitions.map { ($0.key, $0) })

    /// The definition of an exact key, or of the namespace it lies in.
    public static func definition(forKey key: String) -> PropertyDefinition? {
        if let exact = Self.byKey[key] { return exact }
        return Self.namespaces.first { key.hasPrefix($0.key) && key.count > $0.key.count }
    }

    /// The exact keys an object accepts, sorted by key.
    public static func definitions(for owner: PropertyOwner) -> [PropertyDefinition] {
        Self.definitions.filter { $0.owners.contains(owner) }
    }

    /// Known keys close to an unknown one, best first: same spelling but for case, or at most a few
    /// edits away (a quarter of the key's length).
    public static func suggestions(for key: String, owner: PropertyOwner) -> [String] {
        let lowered = key.lowercased()
        let limit = max(2, key.count / 4)
        let scored = Self.definitions(for: owner).compactMap { definition -> (String, Int)? in
            let candidate = definition.key.lowercased()
            let distance = candidate == lowered ? 0 : PropertyRules.editDistance(candidate, lowered)
            return distance <= limit ? (definition.key, distance) : nil
        }
        return scored.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(3).map(\.0)
    }
}

/// One key (or namespace) of the catalogue.
public struct PropertyDefinition: Sendable {
    /// The full key, or a namespace ending in `/`.
    public let key: String
    public let value: PropertyValueRule
    /// The objects that accept the key.
    public let owners: Set<PropertyOwner>
    /// What the key does, in a sentence.
    public let info: String?
    /// The value in effect when the key is not set.
    public let defaultValue: String?
    /// What a number counts (`seconds`, `bytes`).
    public let unit: String?
    /// Set by the controller or the satellites rather than by users; left out of the CLI's help
    /// (LINSTOR's "internal" keys), still accepted.
    public let isInternal: Bool

    init(
        _ key: String, _ value: PropertyValueRule, owners: Set<PropertyOwner>, default defaultValue: String? = nil,
        unit: String? = nil, internal isInternal: Bool = false, info: String? = nil
    ) {
        self.key = key
        self.value = value
        self.owners = owners
        self.info = info
        self.defaultValue = defaultValue
        self.unit = unit
        self.isInternal = isInternal
    }

    func adding(owners more: Set<PropertyOwner>) -> PropertyDefinition {
        PropertyDefinition(
            self.key, self.value, owners: self.owners.union(more), default: self.defaultValue, unit: self.unit,
            internal: self.isInternal, info: self.info)
    }
}
