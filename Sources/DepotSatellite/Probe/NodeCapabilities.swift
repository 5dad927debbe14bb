public import DepotModel

/// Which storage providers and resource layers a node supports, and for each it does not, why.
///
/// Encodes as LINSTOR's node fields: `storage_providers`, `resource_layers`,
/// `unsupported_providers` and `unsupported_layers` (maps from the kind's name to reasons).
public struct NodeCapabilities: Sendable, Codable, Equatable {
    /// Supported providers, in ``ProviderKind`` declaration order.
    public var storageProviders: [ProviderKind]
    /// Supported layers, in ``LayerKind`` declaration order.
    public var resourceLayers: [LayerKind]
    /// Each unsupported provider with the reasons ("'zfs' not found in PATH", …).
    public var unsupportedProviders: [ProviderKind: [String]]
    /// Each unsupported layer with the reasons ("DRBD kernel module not available", …).
    public var unsupportedLayers: [LayerKind: [String]]
    /// The DRBD kernel module's version, when there is one: drbdadm is told it
    /// (`DRBD_DRIVER_VERSION_OVERRIDE`), so it plans for the kernel the configured drbdsetup talks to.
    public var drbdModuleVersion: String?

    /// Creates capabilities.
    public init(
        storageProviders: [ProviderKind],
        resourceLayers: [LayerKind],
        unsupportedProviders: [ProviderKind: [String]],
        unsupportedLayers: [LayerKind: [String]],
        drbdModuleVersion: String? = nil
    ) {
        self.storageProviders = storageProviders
        self.resourceLayers = resourceLayers
        self.unsupportedProviders = unsupportedProviders
        self.unsupportedLayers = unsupportedLayers
        self.drbdModuleVersion = drbdModuleVersion
    }

    /// Whether the node can hold a volume of `kind`.
    public func supports(_ kind: ProviderKind) -> Bool { self.storageProviders.contains(kind) }

    /// Whether the node can build layer `kind`.
    public func supports(_ kind: LayerKind) -> Bool { self.resourceLayers.contains(kind) }

    enum CodingKeys: String, CodingKey {
        case storageProviders = "storage_providers"
        case resourceLayers = "resource_layers"
        case unsupportedProviders = "unsupported_providers"
        case unsupportedLayers = "unsupported_layers"
        case drbdModuleVersion = "drbd_module_version"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.storageProviders = try container.decode([ProviderKind].self, forKey: .storageProviders)
        self.resourceLayers = try container.decode([LayerKind].self, forKey: .resourceLayers)
        let providers = try container.decode([String: [String]].self, forKey: .unsupportedProviders)
        let layers = try container.decode([String: [String]].self, forKey: .unsupportedLayers)
        self.unsupportedProviders = try Self.keyed(providers, ProviderKind.self, container, .unsupportedProviders)
        self.unsupportedLayers = try Self.keyed(layers, LayerKind.self, container, .unsupportedLayers)
        self.drbdModuleVersion = try container.decodeIfPresent(String.self, forKey: .drbdModuleVersion)
    }

    public func encode(to encoder: any Encoder) throws {
        // Dictionaries keyed by a String enum would encode as arrays; LINSTOR uses JSON objects.
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.storageProviders, forKey: .storageProviders)
        try container.encode(self.resourceLayers, forKey: .resourceLayers)
        let providers = Dictionary(uniqueKeysWithValues: self.unsupportedProviders.map { ($0.key.rawValue, $0.value) })
        let layers = Dictionary(uniqueKeysWithValues: self.unsupportedLayers.map { ($0.key.rawValue, $0.value) })
        try container.encode(providers, forKey: .unsupportedProviders)
        try container.encode(layers, forKey: .unsupportedLayers)
        try container.encodeIfPresent(self.drbdModuleVersion, forKey: .drbdModuleVersion)
    }

    private static func keyed<Kind: RawRepresentable & Hashable>(
        _ raw: [String: [String]],
        _ type: Kind.Type,
        _ container: KeyedDecodingContainer<CodingKeys>,
        _ key: CodingKeys
    ) throws -> [Kind: [String]] where Kind.RawValue == String {
        var result: [Kind: [String]] = [:]
        for (name, reasons) in raw {
            guard let kind = Kind(rawValue: name) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key,
                    in: container,
                    debugDescription: "unknown kind '\(name)'"
                )
            }
            result[kind] = reasons
        }
        return result
    }
}
