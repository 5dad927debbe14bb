/// LINSTOR's 64-bit `ret_code`: severity, operation and object masks OR-ed onto a numeric code.
///
/// Clients test bits (`ret_code & MASK_ERROR == MASK_ERROR`) and scripts compare whole values, so
/// the layout must be exactly LINSTOR's (`ApiConsts`). The value is signed on the wire.
public struct ReturnCode: Hashable, Sendable, Codable, RawRepresentable {
    public var rawValue: Int64

    public init(rawValue: Int64) { self.rawValue = rawValue }

    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.rawValue)
    }

    // Severity (bits 62-63).
    public static let maskError = Int64(bitPattern: 0xC000_0000_0000_0000)
    public static let maskWarn = Int64(bitPattern: 0x8000_0000_0000_0000)
    public static let maskInfo = Int64(0x4000_0000_0000_0000)
    static let maskType = Int64(bitPattern: 0xC000_0000_0000_0000)

    // Operation (bits 24-25).
    public static let maskCreate: Int64 = 0x100_0000
    public static let maskModify: Int64 = 0x200_0000
    public static let maskDelete: Int64 = 0x300_0000
    static let maskOperation: Int64 = 0x300_0000

    // Object (bits 18-22).
    static let maskObject: Int64 = 0x7C_0000
    static let maskCode: Int64 = 0x7FFF

    /// The severity of the entry, from the two top bits.
    public var isError: Bool { self.rawValue & Self.maskType == Self.maskError }
    public var isWarning: Bool { self.rawValue & Self.maskType == Self.maskWarn }
    public var isInfo: Bool { self.rawValue & Self.maskType == Self.maskInfo }

    /// The numeric code without severity, operation and object bits.
    public var code: Int64 { self.rawValue & Self.maskCode }

    /// Adds the operation and object of the call that produced this entry, unless already present.
    ///
    /// Mirrors the controller's `ResponseConverter`: entries are created with a bare code and the
    /// context (create a node, delete a resource, …) fills in the masks.
    public func inContext(_ operation: Operation, _ object: ObjectType) -> ReturnCode {
        // Special whole-word codes (parse error, unknown call) carry no masks.
        if self.rawValue & 0x0FFF_FFFF_FFFF_0000 == 0x0FFF_FFFF_FFFF_0000 { return self }
        var value = self.rawValue
        if value & Self.maskOperation == 0 { value |= operation.mask }
        if value & Self.maskObject == 0 { value |= object.mask }
        return ReturnCode(rawValue: value)
    }

    /// The operation part of a context.
    public enum Operation: Sendable {
        case create, modify, delete, none
        var mask: Int64 {
            switch self {
            case .create: ReturnCode.maskCreate
            case .modify: ReturnCode.maskModify
            case .delete: ReturnCode.maskDelete
            case .none: 0
            }
        }
    }

    /// The object part of a context.
    public enum ObjectType: Int64, Sendable {
        case none = 0
        case schedule = 0x54_0000
        case physicalDevice = 0x4C_0000
        case volumeGroup = 0x48_0000
        case resourceGroup = 0x44_0000
        case keyValueStore = 0x40_0000
        case node = 0x3C_0000
        case resourceDefinition = 0x38_0000
        case resource = 0x34_0000
        case volumeDefinition = 0x30_0000
        case volume = 0x2C_0000
        case nodeConnection = 0x28_0000
        case resourceConnection = 0x24_0000
        case netInterface = 0x1C_0000
        case storagePoolDefinition = 0x18_0000
        case storagePool = 0x14_0000
        case controllerConfig = 0x10_0000
        case snapshot = 0x0C_0000
        var mask: Int64 { self.rawValue }
    }
}

extension ReturnCode {
    private static func error(_ code: Int64) -> ReturnCode { ReturnCode(rawValue: code | maskError) }
    private static func warning(_ code: Int64) -> ReturnCode { ReturnCode(rawValue: code | maskWarn) }
    private static func info(_ code: Int64) -> ReturnCode { ReturnCode(rawValue: code | maskInfo) }

    /// A plain success that created, changed or deleted nothing (only the context's masks).
    public static let success = ReturnCode(rawValue: 0)
    public static let created = ReturnCode(rawValue: 1)
    public static let deleted = ReturnCode(rawValue: 2)
    public static let modified = ReturnCode(rawValue: 3)

    public static let failSQL = error(100)
    public static let failInvalidNodeName = error(200)
    public static let failInvalidNodeType = error(201)
    public static let failInvalidResourceName = error(202)
    public static let failInvalidResourcePort = error(203)
    public static let failInvalidNodeID = error(204)
    public static let failInvalidVolumeNumber = error(205)
    public static let failInvalidVolumeSize = error(206)
    public static let failInvalidMinorNumber = error(207)
    public static let failInvalidStoragePoolName = error(208)
    public static let failInvalidNetName = error(209)
    public static let failInvalidNetAddress = error(210)
    public static let failInvalidNetPort = error(211)
    public static let failInvalidNetType = error(212)
    public static let failInvalidProperty = error(213)
    public static let failInvalidTransportType = error(214)
    public static let failInvalidTCPPort = error(215)
    public static let failInvalidPlaceCount = error(219)
    public static let failInvalidStorageDriver = error(221)
    public static let failInvalidKeyValueStoreName = error(223)
    public static let failInvalidLayerKind = error(224)
    public static let failInvalidLayerStack = error(225)
    public static let failInvalidExternalName = error(226)
    public static let failInvalidProvider = error(227)
    public static let failInvalidVolumeSizes = error(228)
    public static let failInvalidVolumeCount = error(229)
    public static let failNodeHasUsedResource = error(233)
    public static let failInvalidRequest = error(234)
    public static let failInvalidResourceGroupName = error(237)
    public static let failInvalidDatabaseExportFile = error(242)

    public static let failNotFoundNode = error(300)
    public static let failNotFoundResourceDefinition = error(301)
    public static let failNotFoundResource = error(302)
    public static let failNotFoundVolumeDefinition = error(303)
    public static let failNotFoundVolume = error(304)
    public static let failNotFoundNetInterface = error(305)
    public static let failNotFoundStoragePoolDefinition = error(309)
    public static let failNotFoundStoragePool = error(310)
    public static let failNotFoundDefaultStoragePool = error(311)
    public static let failNotFoundSnapshotDefinition = error(313)
    public static let failNotFoundKeyValueStore = error(316)
    public static let failNotFoundResourceGroup = error(317)
    public static let failNotFoundVolumeGroup = error(318)

    public static let failExistsNode = error(500)
    public static let failExistsResourceDefinition = error(501)
    public static let failExistsResource = error(502)
    public static let failExistsNodeConnection = error(506)
    public static let failExistsVolumeDefinition = error(503)
    public static let failExistsNetInterface = error(505)
    public static let failExistsStoragePoolDefinition = error(509)
    public static let failExistsStoragePool = error(510)
    public static let failExistsSnapshotDefinition = error(514)
    public static let failExistsExternalName = error(517)
    public static let failExistsResourceGroup = error(522)
    public static let failExistsVolumeGroup = error(523)

    public static let failMissingProps = error(600)
    public static let failMissingNetcom = error(603)
    public static let failMissingExternalName = error(606)

    public static let failPoolExhaustedVolumeNumber = error(800)
    public static let failPoolExhaustedMinorNumber = error(801)
    public static let failPoolExhaustedTCPPort = error(802)
    public static let failPoolExhaustedNodeID = error(803)

    public static let failEvacuating = error(975)
    public static let failStorageDriverNotSupported = error(989)
    public static let failLayerNotSupported = error(988)
    public static let failInsufficientPeerSlots = error(993)
    public static let failSnapshotsNotSupported = error(994)
    public static let failNotConnected = error(995)
    public static let failNotEnoughNodes = error(996)
    public static let failInUse = error(997)
    public static let failUnknownError = error(998)
    public static let failInvalidCryptPassphrase = error(216)
    public static let failNotFoundCryptKey = error(312)
    public static let failExistsCryptPassphrase = error(512)
    public static let failMissingProperties = error(600)
    public static let passphraseAccepted = ReturnCode(rawValue: 4)
    public static let failImplementationError = error(999)
    /// A setting that cannot be used (an auth token's expiry date or IP filter, say).
    public static let failInvalidConfiguration = error(230)
    /// The caller may not run this call (LINSTOR answers a missing or bad bearer token with it).
    public static let failAccessDeniedCommand = error(412)

    public static let warnNotConnected = warning(1002)
    public static let warnResourceAlreadyDeployed = warning(1006)
    public static let warnNotEvacuating = warning(1020)
    /// Depot: a re-placement after `node lost` or `adjust` found too few nodes (the lost node is
    /// still gone; the details say what is missing).
    public static let warnNotEnoughNodes = warning(996)
    public static let warnNotEnoughNodesForTieBreaker = warning(1013)
    public static let infoPropertySet = info(10002)
    public static let infoTieBreakerCreated = info(10003)
    public static let infoTieBreakerDeleting = info(10004)
    public static let infoTieBreakerTakeover = info(10006)
    public static let infoNoop = info(10007)
    public static let warnDeleteUnsetProperty = warning(1005)
    public static let warnNotFound = warning(3000)
    public static let warnNoEffect = warning(3001)

    public static let infoNoResourceSpawned = info(10000)
    /// Depot: the answer of a placement dry run; nothing was changed.
    public static let infoDryRun = info(0)

    /// A request body that is not valid JSON or does not match the expected shape.
    public static let apiCallParseError = ReturnCode(rawValue: 0x0FFF_FFFF_FFFF_FFFD | maskError)
    public static let unknownAPICall = ReturnCode(rawValue: 0x0FFF_FFFF_FFFF_FFFF | maskError)
}
