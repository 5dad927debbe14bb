/// The DRBD options as catalogue keys, and what Depot accepts beyond LINSTOR's whitelist.
extension PropertyCatalog {
    /// Objects whose settings reach DRBD's configuration (through the precedence chain), so they take
    /// DRBD options; LINSTOR takes them on fewer objects, Depot keeps its wider set.
    static let drbdOwners: Set<PropertyOwner> = [
        .controller, .node, .resourceGroup, .volumeGroup, .resourceDefinition, .volumeDefinition, .resource, .volume,
    ]
    static let connectionOwners: Set<PropertyOwner> = [.nodeConnection, .resourceConnection]
    static let storageOwners: Set<PropertyOwner> = [
        .controller, .node, .storagePoolDefinition, .storagePool, .resourceGroup, .resourceDefinition,
        .volumeGroup, .volumeDefinition, .resource, .volume,
    ]

    /// `DrbdOptions/<Section>/<name>` for every option of ``DRBDOptionCatalog``; connections take the
    /// net and peer-device options.
    static let drbdOptionKeys: [PropertyDefinition] = DRBDOptionCatalog.options.map { option in
        let peer = option.section == .net || option.section == .peerDevice
        return PropertyDefinition(
            option.key, .drbdOption(option), owners: peer ? drbdOwners.union(connectionOwners) : drbdOwners,
            default: option.defaultValue, unit: option.unitName, internal: true)
    }

    /// Keys Depot knows that LINSTOR's whitelist does not list.
    static let depotKeys: [PropertyDefinition] = [
        PropertyDefinition("NodeUname", .string, owners: [.node], internal: true, info: "The node's host name as its satellite reports it."),
        PropertyDefinition("CurStltConnName", .string, owners: [.node], internal: true, info: "The network interface the controller reaches the satellite on."),
        PropertyDefinition(
            "DrbdOptions/auto-verify-algo-allowed-list", .string, owners: drbdOwners,
            info: "Verify algorithms the controller may choose from, separated by ';'."),
        PropertyDefinition("DrbdOptions/auto-verify-algo", .string, owners: drbdOwners, info: "The verify algorithm the controller chose."),
        PropertyDefinition("REST/bindAddress", .string, owners: [.controller], info: "Address the REST API listens on."),
        PropertyDefinition("REST/port", .range(1...65535), owners: [.controller], info: "TCP port the REST API listens on."),
        PropertyDefinition("Cluster/LocalID", .string, owners: [.controller], internal: true, info: "The cluster's identity, sent to satellites."),
    ]

    /// LINSTOR keys Depot accepts on more objects than LINSTOR (Depot accepted them there before the
    /// catalogue, and its precedence chain reads them there).
    static let depotWiderOwners: [String: Set<PropertyOwner>] = [
        "StorPoolName": storageOwners,
        "StorPoolNameDrbdMeta": storageOwners,
        "PrefNic": [.resourceGroup],
        "TcpPortAutoRange": [.node],
        "AutoplaceTarget": [.storagePool],
        "FileSystem/Type": [.resourceGroup, .volumeGroup],
        "FileSystem/MkfsParams": [.resourceGroup, .volumeGroup],
        "DrbdOptions/auto-quorum": drbdOwners,
        "DrbdOptions/auto-add-quorum-tiebreaker": drbdOwners,
        "DrbdOptions/ForceInitialSync": drbdOwners,
        "DrbdOptions/SkipDisk": drbdOwners,
    ]

    /// Namespaces whose every sub-key Depot accepts (its tools' own settings, and keys the controller
    /// keeps for itself).
    static let depotNamespaces: [PropertyDefinition] = [
        PropertyDefinition(ConnectionPath.prefix, .string, owners: connectionOwners, info: "Network paths of a connection."),
        PropertyDefinition("StorDriver/", .string, owners: storageOwners, info: "Settings of the storage providers."),
        PropertyDefinition("Autoplacer/Weights/", .decimal, owners: [.controller], info: "Weights of the autoplacer's strategies."),
        PropertyDefinition("NetCom/", .string, owners: [.controller, .node], info: "Settings of the controller-satellite connection."),
        PropertyDefinition("Luks/", .string, owners: [.controller, .resourceGroup, .resourceDefinition, .volumeDefinition], info: "LUKS settings."),
        PropertyDefinition("Internal/", .string, owners: Set(PropertyOwner.allCases), internal: true, info: "Kept by the controller."),
        PropertyDefinition("Linstor/", .string, owners: Set(PropertyOwner.allCases), internal: true, info: "Kept by the controller."),
        PropertyDefinition(
            "sys/fs/", .string, owners: [.resourceGroup, .resourceDefinition, .volumeGroup, .volumeDefinition, .resource, .volume],
            info: "Block I/O limits of the volumes."),
    ]
}
