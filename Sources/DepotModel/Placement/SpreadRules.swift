/// `replicas_on_same`, `replicas_on_different` and `x_replicas_on_different_map`: how replicas
/// spread over node properties (usually `Aux/` labels such as a site or rack).
///
/// Entries are `key` or `key=value`; a key without a namespace also matches `Aux/<key>`, so both
/// LINSTOR's CLI spelling (`Aux/site`) and the bare label work. Nodes without a `same` key are
/// never chosen; nodes without a `different` key are not limited by it.
struct SpreadRules: Sendable, CustomStringConvertible {
    /// Per same-key: the value every replica must have, `nil` until the first replica decides it.
    private var same: [String: String?] = [:]
    /// Per different-key: how many replicas may share one value.
    private var caps: [String: Int] = [:]
    /// Values a `key=value` entry of `replicas_on_different` rules out.
    private var banned: [String: Set<String>] = [:]
    /// Per different-key and value: replicas that already exist.
    private var existingCounts: [String: [String: Int]] = [:]
    private var xKeys: Set<String> = []
    /// Existing replicas disagree on a same-key: nothing can be placed.
    private(set) var conflict: String?
    /// Without `AllowMixingStoragePoolDriver`, all replicas stay in one provider family: the
    /// existing replicas' (or, undecided, the first chosen one's).
    var checksProviders = false
    var providerFamily: ProviderFamily?

    init(filter: AutoSelectFilter, existing: [PlacementNode]) {
        for entry in filter.replicasOnSame ?? [] {
            let (key, value) = Self.split(entry)
            let found = Set(existing.compactMap { Self.value(of: key, on: $0) })
            if let value {
                self.same[key] = .some(value)
            } else if found.count > 1 {
                self.conflict =
                    "replicas-on-same '\(key)': the existing replicas already have different values (\(found.sorted().joined(separator: ", ")))."
            } else {
                self.same[key] = .some(found.first)
            }
        }
        for entry in filter.replicasOnDifferent ?? [] {
            let (key, value) = Self.split(entry)
            self.caps[key] = filter.xReplicasOnDifferentMap?[key] ?? 1
            if let value { self.banned[key, default: []].insert(value) }
        }
        for (key, count) in filter.xReplicasOnDifferentMap ?? [:] {
            self.caps[key] = max(1, count)
            self.xKeys.insert(key)
        }
        for key in self.caps.keys {
            for node in existing {
                if let value = Self.value(of: key, on: node) { self.existingCounts[key, default: [:]][value, default: 0] += 1 }
            }
        }
    }

    var isEmpty: Bool { self.same.isEmpty && self.caps.isEmpty && !self.checksProviders }

    var description: String {
        var parts: [String] = []
        if !self.same.isEmpty { parts.append("replicas-on-same " + self.same.keys.sorted().joined(separator: ", ")) }
        if self.checksProviders {
            parts.append(
                (self.providerFamily.map { "\($0.name) storage pools, as the existing replicas" } ?? "one kind of storage provider")
                    + " (AllowMixingStoragePoolDriver=true allows mixing)")
        }
        if !self.caps.isEmpty {
            parts.append("replicas-on-different " + self.caps.keys.sorted().map { "\($0) (at most \(self.caps[$0] ?? 1) per value)" }.joined(separator: ", "))
        }
        return parts.joined(separator: " and ")
    }

    /// Why a node can never take a replica under these rules, whatever else is chosen.
    func rejection(of node: PlacementNode) -> String? {
        for key in self.same.keys.sorted() {
            guard let value = Self.value(of: key, on: node) else { return "has no property '\(key)' (replicas-on-same)" }
            if case .some(.some(let wanted)) = self.same[key], wanted != value {
                return "has \(key)=\(value), the replicas need \(key)=\(wanted) (replicas-on-same)"
            }
        }
        for key in self.caps.keys.sorted() {
            guard let value = Self.value(of: key, on: node) else { continue }
            if self.banned[key]?.contains(value) == true { return "has \(key)=\(value), which is excluded (replicas-on-different)" }
            let used = self.existingCounts[key]?[value] ?? 0
            if used >= self.caps[key] ?? 1 {
                return "has \(key)=\(value), which already holds \(used) replica\(used == 1 ? "" : "s") (replicas-on-different)"
            }
        }
        return nil
    }

    func start() -> State { State(rules: self, same: self.same, counts: self.existingCounts, family: self.providerFamily) }

    /// The rules while a selection is being built.
    struct State: Sendable {
        let rules: SpreadRules
        var same: [String: String?]
        var counts: [String: [String: Int]]
        var family: ProviderFamily?

        func accepts(provider: ProviderKind) -> Bool {
            guard self.rules.checksProviders, let family = self.family else { return true }
            return ProviderFamily(provider) == family
        }

        mutating func add(provider: ProviderKind) {
            if self.rules.checksProviders, self.family == nil { self.family = ProviderFamily(provider) }
        }

        func accepts(_ node: PlacementNode) -> Bool {
            for (key, fixed) in self.same {
                guard let value = SpreadRules.value(of: key, on: node) else { return false }
                if let fixed, fixed != value { return false }
            }
            for (key, cap) in self.rules.caps {
                guard let value = SpreadRules.value(of: key, on: node) else { continue }
                if (self.counts[key]?[value] ?? 0) >= cap { return false }
            }
            return true
        }

        mutating func add(_ node: PlacementNode) {
            for (key, fixed) in self.same where fixed == nil {
                self.same[key] = .some(SpreadRules.value(of: key, on: node))
            }
            for key in self.rules.caps.keys {
                if let value = SpreadRules.value(of: key, on: node) { self.counts[key, default: [:]][value, default: 0] += 1 }
            }
        }

        /// With `x_replicas_on_different_map`, groups fill up one after the other: at most one
        /// value may hold fewer replicas than its cap (3 replicas, 2 per site: 2 + 1, never 1 + 1 + 1).
        var isValidComplete: Bool {
            for key in self.rules.xKeys {
                let cap = self.rules.caps[key] ?? 1
                let partial = (self.counts[key] ?? [:]).values.filter { $0 > 0 && $0 < cap }.count
                if partial > 1 { return false }
            }
            return true
        }
    }

    static func split(_ entry: String) -> (key: String, value: String?) {
        guard let separator = entry.firstIndex(of: "=") else { return (entry, nil) }
        return (String(entry[..<separator]), String(entry[entry.index(after: separator)...]))
    }

    static func value(of key: String, on node: PlacementNode) -> String? {
        node.props[key] ?? (key.contains("/") ? nil : node.props["Aux/" + key])
    }
}
