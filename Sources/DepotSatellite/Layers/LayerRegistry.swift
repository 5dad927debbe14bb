public import DepotModel

/// The layers this satellite can build, by kind: the one place a new layer is registered.
///
/// A kind without an entry is refused for every resource that asks for it, whatever the capability
/// probe says: a `luks,storage` resource never comes up as plain storage.
public struct LayerRegistry: Sendable {
    private let layers: [LayerKind: any DeviceLayer]
    /// The storage layer, which also keeps the node's snapshots.
    let storage: StorageLayer?

    /// - Parameters:
    ///   - storage: the storage layer (always there).
    ///   - drbd: the DRBD layer, on nodes that run DRBD.
    ///   - luks: the LUKS layer, on nodes with cryptsetup and dm-crypt.
    public init(storage: StorageLayer, drbd: DRBDLayer?, luks: LUKSLayer? = nil) {
        self.init([storage] + (drbd.map { [DRBDStackLayer($0)] } ?? []) + (luks.map { [$0] } ?? []))
    }

    /// Any set of layers, one per kind (tests walk stacks of recording layers through it).
    init(_ layers: [any DeviceLayer]) {
        self.layers = Dictionary(layers.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
        self.storage = layers.lazy.compactMap { $0 as? StorageLayer }.first
    }

    /// The registered layers, top to bottom (the order resources are torn down in).
    var topDown: [any DeviceLayer] { LayerKind.allCases.compactMap { self.layers[$0] } }

    func layer(_ kind: LayerKind) -> (any DeviceLayer)? { self.layers[kind] }

    /// Why this satellite cannot build `kind`.
    static func unavailable(_ kind: LayerKind, resource: String) -> LayerFailure {
        switch kind {
        case .luks:
            LayerFailure(
                "Resource '\(resource)' asks for the LUKS layer, which this node cannot run (cryptsetup or dm-crypt missing): nothing of it was created, so it can never come up unencrypted."
            )
        default:
            LayerFailure("Resource '\(resource)' needs the \(kind.rawValue) layer, which this satellite runs without; nothing of it was created.")
        }
    }
}
