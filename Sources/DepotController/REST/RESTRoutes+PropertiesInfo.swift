import DepotModel
import DepotWire
import Hummingbird

/// The `GET …/properties/info` calls: the keys each kind of object takes, read from the
/// ``PropertyCatalog`` that validation uses, as a map of key to `PropsInfo`. The path's object names
/// are not looked up (LINSTOR answers for the kind, not for one object).
extension RESTRoutes {
    func registerPropertiesInfo(on router: Router<Context>) {
        let kinds: [(path: String, owner: PropertyOwner)] = [
            ("/v1/controller/properties/info", .controller),
            ("/v1/nodes/properties/info", .node),
            ("/v1/storage-pool-definitions/properties/info", .storagePoolDefinition),
            ("/v1/nodes/:node/storage-pools/properties/info", .storagePool),
            ("/v1/resource-groups/properties/info", .resourceGroup),
            ("/v1/resource-groups/:group/volume-groups/properties/info", .volumeGroup),
            ("/v1/resource-definitions/properties/info", .resourceDefinition),
            ("/v1/resource-definitions/:resource/volume-definitions/properties/info", .volumeDefinition),
            ("/v1/resource-definitions/:resource/resources/properties/info", .resource),
            ("/v1/resource-definitions/:resource/resources/:node/volumes/properties/info", .volume),
            ("/v1/resource-definitions/:resource/resource-connections/properties/info", .resourceConnection),
        ]
        for kind in kinds {
            let answer = Self.propsInfo(PropertyCatalog.definitions(for: kind.owner))
            router.get(RouterPath(kind.path)) { _, _ in APIResponse.json(answer) }
        }
        // Every kind at once, keyed by LINSTOR's upper-case object names.
        let all = Dictionary(
            uniqueKeysWithValues: PropertyOwner.allCases.map {
                ($0.linstorObjectName, Self.propsInfo(PropertyCatalog.definitions(for: $0)))
            })
        router.get("/v1/controller/properties/info/all") { _, _ in APIResponse.json(all) }
        let proxy = PropertyCatalog.drbdProxySections.mapValues(Self.propsInfo)
        router.get("/v1/resource-definitions/:resource/drbd-proxy/properties/info") { _, _ in APIResponse.json(proxy) }
    }

    private static func propsInfo(_ definitions: [PropertyDefinition]) -> [String: PropsInfoDTO] {
        Dictionary(
            uniqueKeysWithValues: definitions.map { definition in
                (
                    definition.key,
                    PropsInfoDTO(
                        info: definition.info, propType: definition.value.typeName, value: definition.value.allowedValues,
                        dflt: definition.defaultValue, unit: definition.unit)
                )
            })
    }
}

extension PropertyOwner {
    /// LINSTOR's name for the kind of object (`LinStorObject`), the keys of `…/properties/info/all`.
    fileprivate var linstorObjectName: String {
        switch self {
        case .controller: "CTRL"
        case .node: "NODE"
        case .storagePoolDefinition: "STOR_POOL_DFN"
        case .storagePool: "STOR_POOL"
        case .resourceGroup: "RSC_GRP"
        case .volumeGroup: "VLM_GRP"
        case .resourceDefinition: "RSC_DFN"
        case .volumeDefinition: "VLM_DFN"
        case .resource: "RSC"
        case .volume: "VLM"
        case .nodeConnection: "NODE_CONN"
        case .resourceConnection: "RSC_CONN"
        }
    }
}
