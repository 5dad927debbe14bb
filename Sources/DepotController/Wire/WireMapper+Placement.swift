import DepotModel
import DepotWire

/// The answers of a resource group's placement queries in LINSTOR's shapes.
extension WireMapper {
    static func querySizeInfo(_ info: SpawnSizeInfo) -> QuerySizeInfoResponseDTO {
        let space = info.space.map { space in
            QuerySizeInfoResponseDTO.SpaceInfo(
                maxVolumeSizeKiB: space.maxVolumeSizeKiB, availableSizeKiB: space.availableSizeKiB, capacityKiB: space.capacityKiB,
                defaultMaxOversubscriptionRatio: space.defaultMaxOversubscriptionRatio,
                nextSpawnResult: space.nextSpawn?.map { choice in
                    QuerySizeInfoResponseDTO.SpawnResult(
                        nodeName: choice.nodeName, storagePoolName: choice.storagePoolName, oversubscriptionRatio: choice.oversubscriptionRatio,
                        freeCapacityOversubscriptionRatio: choice.freeCapacityOversubscriptionRatio,
                        totalCapacityOversubscriptionRatio: choice.totalCapacityOversubscriptionRatio)
                })
        }
        return QuerySizeInfoResponseDTO(spaceInfo: space, reports: info.problems.isEmpty ? nil : info.problems.map(self.placementReport))
    }

    static func maxVolumeSizes(_ sizes: MaxVolumeSizes) -> MaxVolumeSizesDTO {
        MaxVolumeSizesDTO(
            candidates: sizes.candidates.map { candidate in
                MaxVolumeSizesDTO.Candidate(
                    storagePool: candidate.storagePool, maxVolumeSizeKiB: candidate.maxVolumeSizeKiB, nodeNames: candidate.nodeNames,
                    allThin: candidate.allThin)
            },
            defaultMaxOversubscriptionRatio: sizes.defaultMaxOversubscriptionRatio)
    }

    /// A problem reported inside a successful answer, with the resource group's return code masks.
    private static func placementReport(_ error: DepotError) -> ApiCallRcDTO {
        ApiCallRcDTO(
            retCode: error.code.inContext(.none, .resourceGroup).rawValue, message: error.message, cause: error.cause, correction: error.correction,
            details: error.details, objRefs: error.objectReferences)
    }
}
