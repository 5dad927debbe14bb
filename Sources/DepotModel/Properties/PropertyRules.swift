/// The objects that carry properties; each accepts its own set of keys.
public enum PropertyOwner: String, Sendable, CaseIterable {
    case controller, node, storagePoolDefinition, storagePool, resourceGroup, volumeGroup
    case resourceDefinition, volumeDefinition, resource, volume
    case nodeConnection, resourceConnection
}

/// Which property keys an object accepts, and what their values must look like.
///
/// LINSTOR rejects keys outside its whitelist with `FAIL_INVLD_PROP`; `Aux/` is free-form (users keep
/// their own labels there, e.g. for `replicas_on_different`). Depot keeps the same rule so a typo in a
/// key is an error instead of a silently ignored setting.
public enum PropertyRules {
    /// The value check for a known key.
    enum ValueRule: Sendable {
        case any
        case integer(ClosedRange<Int>)
        case decimal
        case boolean
        case oneOf([String])
        case range(ClosedRange<Int>)
        case nodeOrNetInterfaceName
    }

    struct Rule: Sendable {
        let owners: Set<PropertyOwner>
        let value: ValueRule
    }

    private static let everywhere = Set(PropertyOwner.allCases)
    private static let drbdOwners: Set<PropertyOwner> = [
        .controller, .node, .resourceGroup, .volumeGroup, .resourceDefinition, .volumeDefinition, .resource, .volume,
    ]
    private static let connectionOwners: Set<PropertyOwner> = [.nodeConnection, .resourceConnection]
    private static let storageOwners: Set<PropertyOwner> = [
        .controller, .node, .storagePoolDefinition, .storagePool, .resourceGroup, .resourceDefinition,
        .volumeGroup, .volumeDefinition, .resource, .volume,
    ]

    /// Exact keys.
    static let keys: [String: Rule] = [
        "StorPoolName": Rule(owners: storageOwners, value: .any),
        "StorPoolNameDrbdMeta": Rule(owners: storageOwners, value: .any),
        "PrefNic": Rule(owners: [.node, .storagePool, .resourceGroup, .resourceDefinition, .resource], value: .any),
        "PeerSlotsNewResource": Rule(owners: [.controller, .resourceGroup, .resourceDefinition], value: .integer(1...31)),
        "TcpPortAutoRange": Rule(owners: [.controller, .node], value: .range(1...65535)),
        "MinorNrAutoRange": Rule(owners: [.controller], value: .range(0...AllocationRange.maxMinor)),
        "MaxOversubscriptionRatio": Rule(owners: [.controller, .storagePoolDefinition, .storagePool], value: .decimal),
        "MaxFreeCapacityOversubscriptionRatio": Rule(
            owners: [.controller, .storagePoolDefinition, .storagePool], value: .decimal),
        "MaxTotalCapacityOversubscriptionRatio": Rule(
            owners: [.controller, .storagePoolDefinition, .storagePool], value: .decimal),
        "AllowMixingStoragePoolDriver": Rule(owners: [.controller, .resourceGroup, .resourceDefinition], value: .boolean),
        "AutoplaceTarget": Rule(owners: [.controller, .node, .storagePool], value: .boolean),
        "Site": Rule(owners: [.node], value: .any),
        "NodeUname": Rule(owners: [.node], value: .any),
        "CurStltConnName": Rule(owners: [.node], value: .any),
        "FileSystem/Type": Rule(owners: [.resourceGroup, .resourceDefinition, .volumeGroup, .volumeDefinition], value: .oneOf(["ext4", "xfs"])),
        "FileSystem/MkfsParams": Rule(owners: [.resourceGroup, .resourceDefinition, .volumeGroup, .volumeDefinition], value: .any),
        "DrbdOptions/auto-quorum": Rule(owners: drbdOwners, value: .oneOf(["io-error", "suspend-io", "disabled"])),
        "DrbdOptions/auto-add-quorum-tiebreaker": Rule(owners: drbdOwners, value: .boolean),
        "DrbdOptions/auto-verify-algo-allowed-list": Rule(owners: drbdOwners, value: .any),
        "DrbdOptions/auto-verify-algo": Rule(owners: drbdOwners, value: .any),
        "DrbdOptions/ForceInitialSync": Rule(owners: drbdOwners, value: .boolean),
        "DrbdOptions/SkipDisk": Rule(owners: drbdOwners, value: .boolean),
        "Autoplacer/MinThinFreeSpace": Rule(owners: [.controller], value: .any),
        "REST/bindAddress": Rule(owners: [.controller], value: .any),
        "REST/port": Rule(owners: [.controller], value: .integer(1...65535)),
        "Cluster/LocalID": Rule(owners: [.controller], value: .any),
    ]

    /// Namespaces whose sub-keys are options of the tool below (validated by the tool's own rules).
    static let namespaces: [(prefix: String, rule: Rule)] = [
        ("DrbdOptions/Net/", Rule(owners: drbdOwners.union(connectionOwners), value: .any)),
        ("DrbdOptions/Disk/", Rule(owners: drbdOwners, value: .any)),
        ("DrbdOptions/Resource/", Rule(owners: drbdOwners, value: .any)),
        ("DrbdOptions/PeerDevice/", Rule(owners: drbdOwners.union(connectionOwners), value: .any)),
        (ConnectionPath.prefix, Rule(owners: connectionOwners, value: .any)),
        ("DrbdOptions/Handlers/", Rule(owners: drbdOwners, value: .any)),
        ("StorDriver/", Rule(owners: storageOwners, value: .any)),
        ("Autoplacer/Weights/", Rule(owners: [.controller], value: .decimal)),
        ("NetCom/", Rule(owners: [.controller, .node], value: .any)),
        ("Luks/", Rule(owners: [.controller, .resourceGroup, .resourceDefinition, .volumeDefinition], value: .any)),
        ("Internal/", Rule(owners: everywhere, value: .any)),
        ("Linstor/", Rule(owners: everywhere, value: .any)),
        ("sys/fs/", Rule(owners: [.resourceGroup, .resourceDefinition, .volumeGroup, .volumeDefinition, .resource, .volume], value: .any)),
    ]

    /// Checks one key/value pair for an owner.
    ///
    /// - Throws: ``DepotError`` `FAIL_INVLD_PROP` naming the key and what is wrong with it.
    public static func validate(key: String, value: String, for owner: PropertyOwner) throws(DepotError) {
        try self.validateKeySyntax(key)
        if key.hasPrefix("Aux/") {
            guard key.count > 4 else { throw self.invalid(key, "The key has no name after 'Aux/'.") }
            return
        }
        let rule: Rule
        if let exact = self.keys[key] {
            rule = exact
        } else if let namespaced = self.namespaces.first(where: { key.hasPrefix($0.prefix) && key.count > $0.prefix.count }) {
            rule = namespaced.rule
        } else {
            throw self.invalid(key, "'\(key)' is not a known property key.", correction: "Check the spelling, or keep your own keys under 'Aux/'.")
        }
        guard rule.owners.contains(owner) else {
            throw self.invalid(key, "The property '\(key)' cannot be set on a \(owner.displayName).")
        }
        try self.check(value, of: key, against: rule.value)
        try self.checkDRBDOption(key, value)
    }

    /// Checks a key to delete: only syntax, so that stale keys can always be removed.
    public static func validateKeySyntax(_ key: String) throws(DepotError) {
        guard !key.isEmpty, key.utf8.count <= 256 else {
            throw self.invalid(key, "A property key must have 1 to 256 characters.")
        }
        guard !key.hasPrefix("/"), !key.hasSuffix("/"), !key.contains("//") else {
            throw self.invalid(key, "A property key cannot begin or end with '/' or contain an empty namespace.")
        }
        guard key.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value < 127 }) else {
            throw self.invalid(key, "A property key may contain only printable ASCII characters without spaces.")
        }
    }

    private static func check(_ value: String, of key: String, against rule: ValueRule) throws(DepotError) {
        let valid: Bool
        let expectation: String
        switch rule {
        case .any, .nodeOrNetInterfaceName:
            valid = true
            expectation = ""
        case .integer(let range):
            valid = Int(value).map(range.contains) ?? false
            expectation = "an integer from \(range.lowerBound) to \(range.upperBound)"
        case .decimal:
            valid = Double(value).map { $0.isFinite } ?? false
            expectation = "a number"
        case .boolean:
            valid = ["true", "false", "yes", "no"].contains(value.lowercased())
            expectation = "true or false"
        case .oneOf(let choices):
            valid = choices.contains(value)
            expectation = "one of " + choices.joined(separator: ", ")
        case .range(let limits):
            valid = AllocationRange.parse(value, within: limits) != nil
            expectation = "a range LOW-HIGH within \(limits.lowerBound)-\(limits.upperBound)"
        }
        guard valid else {
            throw self.invalid(key, "The value '\(value)' of '\(key)' is invalid: expected \(expectation).")
        }
    }

    /// `DrbdOptions/<Section>/<name>` must be a DRBD option of that section with a valid value.
    private static func checkDRBDOption(_ key: String, _ value: String) throws(DepotError) {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "DrbdOptions", let section = DRBDOptionCatalog.Section(rawValue: String(parts[1])) else { return }
        guard let option = DRBDOptionCatalog.option(forKey: key) else {
            let name = parts[2].lowercased()
            let names = DRBDOptionCatalog.options(in: [section]).map(\.name)
            let close = names.filter { Self.editDistance($0, name) <= 2 }
            let near = close.isEmpty ? names.filter { $0.hasPrefix(String(name.prefix(3))) } : close
            throw self.invalid(
                key, "'\(parts[2])' is not a DRBD \(section.rawValue) option.",
                correction: near.isEmpty ? "See 'drbdsetup xml-help' for the options of each section." : "Did you mean " + near.joined(separator: ", ") + "?")
        }
        if let problem = option.problem(with: value) {
            throw self.invalid(key, "The DRBD option '\(option.name)' \(problem); '\(value)' was given.")
        }
    }

    /// Levenshtein distance, for "did you mean" suggestions.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for (i, left) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, right) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (left == right ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    private static func invalid(_ key: String, _ cause: String, correction: String? = nil) -> DepotError {
        DepotError(.failInvalidProperty, "Invalid property '\(key)'.", cause: cause, correction: correction)
    }
}

extension PropertyOwner {
    var displayName: String {
        switch self {
        case .controller: "controller"
        case .node: "node"
        case .storagePoolDefinition: "storage pool definition"
        case .storagePool: "storage pool"
        case .resourceGroup: "resource group"
        case .volumeGroup: "volume group"
        case .resourceDefinition: "resource definition"
        case .volumeDefinition: "volume definition"
        case .resource: "resource"
        case .volume: "volume"
        case .nodeConnection: "node connection"
        case .resourceConnection: "resource connection"
        }
    }
}

/// A change to an object's properties, as every LINSTOR modify body carries it.
public struct PropertyChange: Sendable, Equatable {
    public var overrideProps: [String: String]
    public var deleteProps: [String]
    public var deleteNamespaces: [String]

    public init(overrideProps: [String: String] = [:], deleteProps: [String] = [], deleteNamespaces: [String] = []) {
        self.overrideProps = overrideProps
        self.deleteProps = deleteProps
        self.deleteNamespaces = deleteNamespaces
    }

    public var isEmpty: Bool { self.overrideProps.isEmpty && self.deleteProps.isEmpty && self.deleteNamespaces.isEmpty }

    /// Validates the whole change first, then applies it; nothing changes when any part is invalid.
    ///
    /// - Returns: warnings for deleted keys that were not set (LINSTOR's `WARN_DEL_UNSET_PROP`).
    public func apply(to props: inout [String: String], owner: PropertyOwner) throws(DepotError) -> [String] {
        for (key, value) in self.overrideProps.sorted(by: { $0.key < $1.key }) {
            try PropertyRules.validate(key: key, value: value, for: owner)
        }
        for key in self.deleteProps { try PropertyRules.validateKeySyntax(key) }
        for namespace in self.deleteNamespaces { try PropertyRules.validateKeySyntax(namespace) }
        var warnings: [String] = []
        for key in self.deleteProps where props.removeValue(forKey: key) == nil {
            warnings.append(key)
        }
        for namespace in self.deleteNamespaces {
            let prefix = namespace + "/"
            for key in props.keys where key.hasPrefix(prefix) { props.removeValue(forKey: key) }
        }
        props.merge(self.overrideProps) { _, new in new }
        return warnings
    }
}
