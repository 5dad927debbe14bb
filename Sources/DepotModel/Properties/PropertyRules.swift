/// The objects that carry properties; each accepts its own set of keys.
public enum PropertyOwner: String, Sendable, CaseIterable {
    case controller, node, storagePoolDefinition, storagePool, resourceGroup, volumeGroup
    case resourceDefinition, volumeDefinition, resource, volume
    case nodeConnection, resourceConnection
}

/// Checks property keys and values against the ``PropertyCatalog``.
///
/// LINSTOR rejects keys outside its whitelist with `FAIL_INVLD_PROP`; `Aux/` is free-form (users keep
/// their own labels there, e.g. for `replicas_on_different`). Depot keeps the same rule so a typo in a
/// key is an error, with the known keys it resembles, instead of a silently ignored setting.
public enum PropertyRules {
    /// Checks one key/value pair for an owner.
    ///
    /// - Throws: ``DepotError`` `FAIL_INVLD_PROP` naming the key and what is wrong with it.
    public static func validate(key: String, value: String, for owner: PropertyOwner) throws(DepotError) {
        try self.validateKeySyntax(key)
        if key.hasPrefix("Aux/") {
            guard key.count > 4 else { throw self.invalid(key, "The key has no name after 'Aux/'.") }
            return
        }
        guard let definition = PropertyCatalog.definition(forKey: key) else {
            throw self.unknown(key, owner)
        }
        guard definition.owners.contains(owner) else {
            throw self.invalid(key, "The property '\(key)' cannot be set on a \(owner.displayName).")
        }
        if let problem = definition.value.problem(with: value) {
            throw self.invalid(key, "The value '\(value)' of '\(key)' is invalid: \(problem).")
        }
    }

    /// A valid value in the form it is stored (see ``PropertyValueRule/normalized(_:)``).
    public static func normalized(key: String, value: String) -> String {
        PropertyCatalog.definition(forKey: key)?.value.normalized(value) ?? value
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

    /// An unknown key, with the known keys it resembles: for `DrbdOptions/<Section>/<name>` the
    /// section's options, otherwise the keys the object accepts.
    private static func unknown(_ key: String, _ owner: PropertyOwner) -> DepotError {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 3, parts[0] == "DrbdOptions", let section = DRBDOptionCatalog.Section(rawValue: String(parts[1])) {
            let name = parts[2].lowercased()
            let names = DRBDOptionCatalog.options(in: [section]).map(\.name)
            let close = names.filter { Self.editDistance($0, name) <= 2 }
            let near = close.isEmpty ? names.filter { $0.hasPrefix(String(name.prefix(3))) } : close
            return self.invalid(
                key, "'\(parts[2])' is not a DRBD \(section.rawValue) option.",
                correction: near.isEmpty ? "See 'drbdsetup xml-help' for the options of each section." : "Did you mean " + near.joined(separator: ", ") + "?")
        }
        let near = PropertyCatalog.suggestions(for: key, owner: owner)
        return self.invalid(
            key, "'\(key)' is not a known property key of a \(owner.displayName).",
            correction: near.isEmpty
                ? "Check the spelling (GET …/properties/info lists the keys), or keep your own keys under 'Aux/'."
                : "Did you mean " + near.joined(separator: ", ") + "? Your own keys belong under 'Aux/'.")
    }

    /// Levenshtein distance, for "did you mean" suggestions.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
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

    /// Validates the whole change first, then applies it with values in their stored form; nothing
    /// changes when any part is invalid.
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
        for (key, value) in self.overrideProps {
            props[key] = key.hasPrefix("Aux/") ? value : PropertyRules.normalized(key: key, value: value)
        }
        return warnings
    }
}
