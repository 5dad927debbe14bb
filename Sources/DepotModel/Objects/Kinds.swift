/// What a node runs. Output spelling is LINSTOR's Java enum name; input is case-insensitive.
public enum NodeType: String, Sendable, Codable, CaseIterable {
    case controller = "CONTROLLER"
    case satellite = "SATELLITE"
    case combined = "COMBINED"
    case auxiliary = "AUXILIARY"

    /// Parses a user-supplied type name the way LINSTOR does (`valueOfIgnoreCase`).
    public init?(caseInsensitive text: String) {
        guard let match = Self.allCases.first(where: { $0.rawValue == text.uppercased() }) else { return nil }
        self = match
    }

    /// Whether a satellite runs on such a node (so resources may be placed there).
    public var runsSatellite: Bool { self == .satellite || self == .combined }
}

/// How the controller talks to a node's satellite.
public enum EncryptionType: String, Sendable, Codable, CaseIterable {
    case plain = "PLAIN"
    case ssl = "SSL"

    public init?(caseInsensitive text: String) {
        guard let match = Self.allCases.first(where: { $0.rawValue == text.uppercased() }) else { return nil }
        self = match
    }

    /// The satellite's default port for this encryption type (LINSTOR's `DFLT_STLT_PORT_*`).
    public var defaultSatellitePort: Int { self == .plain ? 3366 : 3367 }
}

/// The storage back ends a storage pool can use.
public enum ProviderKind: String, Sendable, Codable, CaseIterable {
    case diskless = "DISKLESS"
    case lvm = "LVM"
    case lvmThin = "LVM_THIN"
    case zfs = "ZFS"
    case zfsThin = "ZFS_THIN"
    case file = "FILE"
    case fileThin = "FILE_THIN"

    public init?(caseInsensitive text: String) {
        guard let match = Self.allCases.first(where: { $0.rawValue == text.uppercased() }) else { return nil }
        self = match
    }

    /// Thin pools may be over-subscribed and skip DRBD's initial full sync.
    public var isThin: Bool { self == .lvmThin || self == .zfsThin || self == .fileThin }

    /// Thin pools take snapshots without copying (LVM thin, ZFS, reflinked or sparse files); thick
    /// LVM, thick files and diskless pools refuse users' snapshots, as LINSTOR does. A clone still
    /// snapshots thick LVM and FILE volumes (a copy-on-write LV, a copy of the image) to copy them.
    public var supportsSnapshots: Bool { self == .lvmThin || self == .zfs || self == .zfsThin || self == .fileThin }

    /// Whether a new volume reads as zeros everywhere, so that copying data into it may skip zero
    /// blocks: not thick LVM, whose new LVs hold whatever the disk held.
    public var zeroesNewVolumes: Bool { self != .lvm }

    /// Whether volumes in such a pool have local storage.
    public var hasBackingStorage: Bool { self != .diskless }

    /// What LINSTOR's `static_traits` report for a pool of this kind.
    public var staticTraits: [String: String] {
        switch self {
        case .diskless: [:]
        case .lvm: ["Provisioning": "Fat", "SupportsSnapshots": "false"]
        case .lvmThin: ["Provisioning": "Thin", "SupportsSnapshots": "true"]
        case .zfs: ["Provisioning": "Fat", "SupportsSnapshots": "true"]
        case .zfsThin: ["Provisioning": "Thin", "SupportsSnapshots": "true"]
        case .file: ["Provisioning": "Fat", "SupportsSnapshots": "false"]
        case .fileThin: ["Provisioning": "Thin", "SupportsSnapshots": "true"]
        }
    }
}

/// One layer of a resource's device stack, bottom (`STORAGE`) to top (`DRBD`).
public enum LayerKind: String, Sendable, Codable, CaseIterable {
    case drbd = "DRBD"
    case luks = "LUKS"
    case storage = "STORAGE"

    /// Layer names LINSTOR knows but Depot does not provide.
    public static let knownUnsupported: Set<String> = ["NVME", "WRITECACHE", "CACHE", "BCACHE", "OPENFLEX"]
}

/// Validates a layer list against the stacks Depot supports.
public enum LayerStack {
    /// The stacks Depot can build, top to bottom.
    public static let supported: [[LayerKind]] = [[.storage], [.drbd, .storage], [.luks, .storage], [.drbd, .luks, .storage]]

    /// Parses layer names (any case) into a supported stack.
    ///
    /// - Throws: ``DepotError`` with `FAIL_INVLD_LAYER_KIND` for an unknown layer and
    ///   `FAIL_INVLD_LAYER_STACK` for a combination Depot cannot build.
    public static func parse(_ names: [String]) throws(DepotError) -> [LayerKind] {
        var stack: [LayerKind] = []
        for name in names {
            let upper = name.uppercased()
            guard let kind = LayerKind(rawValue: upper) else {
                let reason =
                    LayerKind.knownUnsupported.contains(upper)
                    ? "The \(upper) layer is not supported by Depot."
                    : "'\(name)' is not a layer kind."
                throw DepotError(
                    .failInvalidLayerKind,
                    "Invalid layer kind '\(name)'.",
                    cause: reason,
                    correction: "Use the layers drbd, luks and storage."
                )
            }
            stack.append(kind)
        }
        if stack.last != .storage, !stack.isEmpty, !stack.contains(.storage) {
            stack.append(.storage)
        }
        let text = stack.map { $0.rawValue.lowercased() }.joined(separator: ",")
        guard self.supported.contains(stack) else {
            throw DepotError(
                .failInvalidLayerStack,
                "Invalid layer stack '\(text)'.",
                cause: "Layers must be stacked top to bottom and end with storage.",
                correction: "Use one of: storage; drbd,storage; luks,storage; drbd,luks,storage."
            )
        }
        return stack
    }
}
