/// LINSTOR's property keys outside the DRBD options: names, value rules, default values and the
/// objects that take them, as LINSTOR's controller whitelists them (linstor-common's property list).
/// The descriptions are Depot's own.
extension PropertyCatalog {
    /// LINSTOR's objects; a resource group takes what a resource definition takes and a volume group
    /// what a volume definition takes, as in LINSTOR.
    enum LinstorObject {
        case ctrl, node, poolDefinition, pool, definition, resource, volumeDefinition, volume
        case resourceConnection, nodeConnection

        var owners: Set<PropertyOwner> {
            switch self {
            case .ctrl: [.controller]
            case .node: [.node]
            case .poolDefinition: [.storagePoolDefinition]
            case .pool: [.storagePool]
            case .definition: [.resourceDefinition, .resourceGroup]
            case .resource: [.resource]
            case .volumeDefinition: [.volumeDefinition, .volumeGroup]
            case .volume: [.volume]
            case .resourceConnection: [.resourceConnection]
            case .nodeConnection: [.nodeConnection]
            }
        }
    }

    static let linstorKeys: [PropertyDefinition] = [
        Self.entry(
            "AllowMixingStoragePoolDriver", .booleanTrueFalse, on: [.ctrl, .definition], default: "false",
            info: "Allow replicas of one resource on pools of different providers (e.g. LVM and ZFS)."),
        Self.entry("Auth/TokenAuthenticationEnabled", .booleanTrueFalse, on: [.ctrl], info: "Require an auth token on REST requests."),
        Self.entry("AutoSnapshot/Keep", .long, on: [.ctrl, .definition], default: "10", info: "How many automatic snapshots to keep per resource."),
        Self.entry("AutoSnapshot/NextAutoId", .long, on: [.ctrl, .definition], info: "Number of the next automatic snapshot."),
        Self.entry("AutoSnapshot/RunEvery", .long, on: [.ctrl, .definition], info: "Take an automatic snapshot every this many minutes."),
        Self.entry("AutoplaceTarget", .booleanTrueFalse, on: [.ctrl, .node], info: "Whether the autoplacer may put new replicas here."),
        Self.entry("Autoplacer/MaxThroughput", .long, on: [.ctrl, .node, .pool], info: "Throughput this node or pool can take, used by the MaxThroughput weight."),
        Self.entry(
            "Autoplacer/MinThinFreeSpace", .regex("(\\d+(?:[.]\\d+)?)\\s*([kKmMgGtT](?:i[bB]|[bB])?|[bB]|[sS]|%|)"), on: [.ctrl, .node, .pool, .definition], default: "10%",
            info: "Thin pools with less free space than this (size or percentage) are skipped by the autoplacer."),
        Self.entry("Autoplacer/PreSelectScript", .string, on: [.ctrl], info: "Script that filters the autoplacer's candidates before scoring."),
        Self.entry("Autoplacer/PreSelectScriptTimeout", .long, on: [.ctrl], default: "5000", info: "Milliseconds the pre-select script may run."),
        Self.entry("Autoplacer/Weights/MaxFreeSpace", .regex("^[0-9]+([.][0-9]+)?"), on: [.ctrl], default: "1.0", info: "Autoplacer weight for pools with the most free space."),
        Self.entry(
            "Autoplacer/Weights/MaxThroughput", .regex("^[0-9]+([.][0-9]+)?"), on: [.ctrl], default: "0.0", info: "Autoplacer weight for pools with the most unused throughput."),
        Self.entry(
            "Autoplacer/Weights/MinReservedSpace", .regex("^[0-9]+([.][0-9]+)?"), on: [.ctrl], default: "0.0", info: "Autoplacer weight for pools with the least reserved space."),
        Self.entry("Autoplacer/Weights/MinRscCount", .regex("^[0-9]+([.][0-9]+)?"), on: [.ctrl], default: "0.0", info: "Autoplacer weight for pools holding the fewest resources."),
        Self.entry("BCache/Blocksize", .long, on: [.ctrl, .node, .definition, .volumeDefinition], info: "bcache block size."),
        Self.entry("BCache/Bucketsize", .long, on: [.ctrl, .node, .definition, .volumeDefinition], info: "bcache bucket size."),
        Self.entry("BCache/CacheReplacementPolicy", .symbol(["lru", "fifo"]), on: [.ctrl, .node, .definition, .volumeDefinition], info: "bcache replacement policy."),
        Self.entry("BCache/DataOffset", .long, on: [.ctrl, .node, .definition, .volumeDefinition], info: "bcache data offset."),
        Self.entry("BCache/Discard", .booleanTrueFalse, on: [.ctrl, .node, .definition, .volumeDefinition], info: "Pass discards to the bcache device."),
        Self.entry(
            "BCache/PoolName", .regex("^[a-zA-Z0-9_][a-zA-Z0-9_-]{2,47}$"), on: [.ctrl, .node, .definition, .volumeDefinition],
            info: "Storage pool holding the bcache cache device."),
        Self.entry(
            "BCache/Size", .regex("^100%|[0-9]{1,2}([.][0-9]*)?%|[1-9][0-9]{2,}$"), on: [.ctrl, .node, .definition, .volumeDefinition], default: "5%",
            info: "Size of the bcache cache device: a percentage of the volume or KiB."),
        Self.entry("BCache/Writeback", .booleanTrueFalse, on: [.ctrl, .node, .definition, .volumeDefinition], info: "Use writeback mode for bcache."),
        Self.entry("BackupShipping/AllowForceRestore", .string, on: [.ctrl, .definition], default: "false", info: "Allow restoring a backup into an existing resource."),
        Self.entry("BackupShipping/BackupTimeout", .long, on: [.ctrl], default: "5", unit: "seconds", info: "Timeout of a backup shipment."),
        Self.entry(
            "BackupShipping/L2LReceiveStartedTimeout", .long, on: [.ctrl, .node, .definition], default: "300000",
            info: "Milliseconds to wait for the receiving cluster to start a shipment."),
        Self.entry(
            "BackupShipping/L2LSkipWaitForStart", .booleanTrueFalse, on: [.ctrl, .node, .definition], default: "false",
            info: "Start sending without waiting for the receiving cluster."),
        Self.entry("BackupShipping/MaxConcurrentBackupsPerNode", .long, on: [.ctrl, .node], default: "-1", info: "Most backup shipments one node runs at once (-1: no limit)."),
        Self.entry("BackupShipping/S3KeySuffix", .string, on: [.ctrl], info: "Suffix appended to the S3 object keys of backups."),
        Self.entry(
            "BalanceResourcesEnabled", .booleanTrueFalse, on: [.ctrl, .definition], default: "true",
            info: "Let the controller add or remove replicas to reach the group's place count."),
        Self.entry("BalanceResourcesGracePeriod", .long, on: [.ctrl], default: "3600", info: "Seconds a new resource is left alone by the balancer."),
        Self.entry("BalanceResourcesInterval", .long, on: [.ctrl], default: "3600", info: "Seconds between balancer runs."),
        Self.entry("BalanceResourcesSkipDiskLimit", .long, on: [.ctrl, .definition], default: "1", info: "Replicas with a skipped disk the balancer tolerates."),
        Self.entry("Cache/Blocksize", .long, on: [.ctrl, .node, .definition, .volumeDefinition], default: "4096", info: "dm-cache block size."),
        Self.entry(
            "Cache/CachePool", .regex("^[a-zA-Z0-9_][a-zA-Z0-9_-]{2,47}$"), on: [.ctrl, .node, .definition, .volumeDefinition],
            info: "Storage pool holding the dm-cache cache device."),
        Self.entry(
            "Cache/Cachesize", .regex("^100%|[0-9]{1,2}([.][0-9]*)?%|[1-9][0-9]{2,}$"), on: [.ctrl, .node, .definition, .volumeDefinition], default: "5%",
            info: "Size of the dm-cache cache device: a percentage of the volume or KiB."),
        Self.entry("Cache/FlushTimeout", .long, on: [.ctrl, .node, .definition, .volumeDefinition], default: "180000", info: "Milliseconds to wait for dm-cache to flush."),
        Self.entry(
            "Cache/MetaPool", .regex("^[a-zA-Z0-9_][a-zA-Z0-9_-]{2,47}$"), on: [.ctrl, .node, .definition, .volumeDefinition],
            info: "Storage pool holding the dm-cache metadata device."),
        Self.entry(
            "Cache/Metasize", .regex("^100%|[0-9]{1,2}([.][0-9]*)?%|[1-9][0-9]{2,}$"), on: [.ctrl, .node, .definition, .volumeDefinition], default: "12288",
            info: "Size of the dm-cache metadata device: a percentage of the volume or KiB."),
        Self.entry(
            "Cache/OpMode", .symbol(["writeback", "writethrough", "passthrough"]), on: [.ctrl, .node, .definition, .volumeDefinition], default: "writethrough",
            info: "dm-cache operating mode."),
        Self.entry("Cache/Policy", .symbol(["mq", "smq", "cleaner"]), on: [.ctrl, .node, .definition, .volumeDefinition], default: "smq", info: "dm-cache policy."),
        Self.entry("Clone/BalanceAfterClone", .booleanTrueFalse, on: [.ctrl, .definition], info: "Balance the replica count of a clone once it is created."),
        Self.entry(
            "Clone/DdBlocksize", .regex("[1-9][0-9]*(k|K|M|G)?"), on: [.ctrl, .poolDefinition, .definition], default: "64k", info: "Block size of the dd copy used for clones."),
        Self.entry("CopyAllSnaps", .booleanTrueFalse, on: [.ctrl, .definition], info: "Copy all snapshots when a replica is added."),
        Self.entry("CopyAllSnapsOnEvacuate", .booleanTrueFalse, on: [.ctrl, .node], default: "true", info: "Copy all snapshots when a node is evacuated."),
        Self.entry("DrbdCurrentGi", .regex("[a-fA-F0-9]{16}"), on: [.volumeDefinition], info: "DRBD current generation identifier for new metadata."),
        Self.entry("DrbdOptions/AutoEvictAfterTime", .long, on: [.ctrl, .node], default: "60", info: "Minutes a node may be offline before it is evicted."),
        Self.entry("DrbdOptions/AutoEvictAllowEviction", .booleanTrueFalse, on: [.ctrl, .node], default: "true", info: "Whether this node may be evicted automatically."),
        Self.entry(
            "DrbdOptions/AutoEvictMaxDisconnectedNodes", .range(0...100), on: [.ctrl], default: "34", info: "Percentage of nodes that may be offline at once before eviction stops."
        ),
        Self.entry("DrbdOptions/AutoEvictMinReplicaCount", .long, on: [.ctrl, .definition], info: "Replicas a resource keeps when a node is evicted."),
        Self.entry("DrbdOptions/ExactSize", .booleanTrueFalse, on: [.definition], info: "Create the DRBD device with exactly the requested size (no rounding up for metadata)."),
        Self.entry(
            "DrbdOptions/ForceInitialSync", .booleanTrueFalse, on: [.ctrl, .definition], default: "false", info: "Run a full initial sync instead of skipping it on new volumes."),
        Self.entry(
            "DrbdOptions/SkipDisk", .symbol(["True"]), on: [.ctrl, .node, .pool, .definition, .resource],
            info: "Set when a disk failed; DRBD then runs the replica without its disk."),
        Self.entry("DrbdOptions/auto-add-quorum-tiebreaker", .booleanTrueFalse, on: [.ctrl, .definition], info: "Add a diskless tie-breaker replica when it helps quorum."),
        Self.entry("DrbdOptions/auto-diskful", .long, on: [.ctrl, .definition], info: "Minutes a diskless primary may run before it gets a disk."),
        Self.entry(
            "DrbdOptions/auto-diskful-allow-cleanup", .booleanTrueFalse, on: [.ctrl, .node, .definition, .resource],
            info: "Remove the extra disk again once the resource is secondary."),
        Self.entry(
            "DrbdOptions/auto-quorum", .symbol(["io-error", "suspend-io", "disabled"]), on: [.ctrl, .definition],
            info: "What DRBD does on lost quorum when quorum is managed by the controller (deprecated)."),
        Self.entry("DrbdOptions/auto-resync-after-disable", .booleanTrueFalse, on: [.ctrl], info: "Do not set resync-after between resources of one pool."),
        Self.entry("DrbdOptions/auto-rs-discard-granularity", .string, on: [.ctrl, .definition, .volumeDefinition], info: "rs-discard-granularity the controller chose."),
        Self.entry("DrbdOptions/auto-verify-algo-allowed-user-list", .string, on: [.ctrl], info: "Verify algorithms the controller may choose from, separated by ';'."),
        Self.entry("DrbdOptions/auto-verify-algo-disable", .booleanTrueFalse, on: [.ctrl, .definition], info: "Do not choose a verify algorithm automatically."),
        Self.entry("DrbdProxy/AutoEnable", .booleanTrueFalse, on: [.ctrl, .node], default: "false", internal: true),
        Self.entry("DrbdProxy/CompressionType", .symbol(["zlib", "lzma", "lz4", "zstd"]), on: [.definition], internal: true),
        Self.entry("EBS/VolumeType", .string, on: [.ctrl, .node, .pool, .definition, .volumeDefinition], default: "gp2", info: "Type of new EBS volumes."),
        Self.entry("Encryption/Passphrase", .string, on: [.volumeDefinition], info: "LUKS passphrase of this volume."),
        Self.entry("ExtCmd/IoPollInterval", .long, on: [.ctrl, .node], info: "Milliseconds between checks of an external command's progress."),
        Self.entry("ExtCmd/IoStallTimeout", .long, on: [.ctrl, .node], info: "Milliseconds an external command may make no progress."),
        Self.entry("ExtCmd/KillTimeout", .long, on: [.ctrl, .node], info: "Milliseconds to wait after killing an external command."),
        Self.entry("ExtCmd/TermTimeout", .long, on: [.ctrl, .node], info: "Milliseconds to wait after terminating an external command."),
        Self.entry("ExtCmd/WaitTimeout", .long, on: [.ctrl, .node], info: "Milliseconds to wait for an external command."),
        Self.entry("ExtCmdWaitTimeout", .long, on: [.ctrl], info: "Milliseconds to wait for an external command (deprecated: ExtCmd/WaitTimeout)."),
        Self.entry("FileSystem/Group", .string, on: [.definition, .resource, .volumeDefinition], info: "Group owning the new file system's root."),
        Self.entry("FileSystem/MkfsParams", .string, on: [.definition, .resource, .volumeDefinition], info: "Extra mkfs parameters."),
        Self.entry("FileSystem/Type", .symbol(["ext4", "xfs"]), on: [.definition, .resource, .volumeDefinition], info: "File system to create on new volumes."),
        Self.entry("FileSystem/User", .string, on: [.definition, .resource, .volumeDefinition], info: "User owning the new file system's root."),
        Self.entry("Linstor/Drbd/InitialUptoDateOn", .string, on: [.volumeDefinition], info: "Node whose data is up to date when the volume is created."),
        Self.entry(
            "Linstor/Drbd/OutsideAddress", .regex("^[a-zA-Z0-9_][a-zA-Z0-9_-]{2,47}$"), on: [.ctrl, .node, .pool, .definition, .resource],
            info: "Network interface whose address peers outside use."),
        Self.entry("Linstor/Drbd/auto-block-size", .string, on: [.ctrl, .definition, .volumeDefinition], info: "Block size the controller chose."),
        Self.entry("Linstor/Drbd/auto-discard-granularity", .string, on: [.ctrl, .definition, .volumeDefinition], info: "Discard granularity the controller chose."),
        Self.entry("Linstor/Drbd/freeze-block-size", .string, on: [.volumeDefinition], info: "Keep the block size from changing."),
        Self.entry(
            "Luks/AllowDiscards", .booleanTrueFalse, on: [.ctrl, .node, .pool, .definition, .resource, .volumeDefinition], default: "false", info: "Pass discards through LUKS."),
        Self.entry(
            "MaxFreeCapacityOversubscriptionRatio", .rangeFloat(0.0...1000.0), on: [.ctrl, .poolDefinition, .pool],
            info: "Most a thin pool may be oversubscribed relative to its free space."),
        Self.entry("MaxOversubscriptionRatio", .rangeFloat(0.0...1000.0), on: [.ctrl, .poolDefinition, .pool], info: "Most a thin pool may be oversubscribed."),
        Self.entry(
            "MaxTotalCapacityOversubscriptionRatio", .rangeFloat(0.0...1000.0), on: [.ctrl, .poolDefinition, .pool],
            info: "Most a thin pool may be oversubscribed relative to its total capacity."),
        Self.entry("MinorNrAutoRange", .allocationRange(0...AllocationRange.maxMinor), on: [.ctrl], info: "DRBD minor numbers to allocate from, LOW-HIGH."),
        Self.entry("NVMe/Port", .range(1...65535), on: [.ctrl, .definition], info: "NVMe-oF target port."),
        Self.entry("NVMe/PrefNic", .regex("^[a-zA-Z0-9_][a-zA-Z0-9_-]{2,47}$"), on: [.ctrl, .pool, .resource], info: "Network interface for NVMe-oF."),
        Self.entry("NVMe/TRType", .symbol(["rdma", "tcp"]), on: [.ctrl, .definition], default: "rdma", info: "NVMe-oF transport."),
        Self.entry("OverrideVlmId", .regex(".*"), on: [.volumeDefinition], info: "Use this name for the backing volume instead of the generated one."),
        Self.entry("PeerSlots", .range(1...31), on: [.resource], internal: true),
        Self.entry("PeerSlotsNewResource", .range(1...31), on: [.ctrl, .definition], info: "DRBD peer slots of new resources."),
        Self.entry("PrefNic", .regex("^[a-zA-Z0-9_][a-zA-Z0-9_-]{2,47}$"), on: [.node, .pool, .definition, .resource], info: "Network interface DRBD replication uses."),
        Self.entry("REST/AutoHTTPS", .booleanTrueFalse, on: [.ctrl], info: "Redirect HTTP to HTTPS."),
        Self.entry("REST/disable-http-metrics", .booleanTrueFalse, on: [.ctrl], info: "Do not collect per-request metrics."),
        Self.entry("SearchDomain", .string, on: [.ctrl], info: "DNS search domain appended to node names."),
        Self.entry("Site", .string, on: [.ctrl, .node], internal: true),
        Self.entry("Snapshot/BalanceAfterRestore", .booleanTrueFalse, on: [.ctrl, .definition], info: "Balance the replica count after restoring a snapshot."),
        Self.entry("SpecStltPortAutoRange", .allocationRange(1...65535), on: [.ctrl], info: "TCP ports for special satellites, LOW-HIGH."),
        Self.entry("StorDriver/DMStats", .booleanTrueFalse, on: [.ctrl], info: "Enable device-mapper statistics on new volumes."),
        Self.entry("StorDriver/EBS/Remote", .regex("^[a-zA-Z0-9_][a-zA-Z0-9_-]{2,47}$"), on: [.pool], internal: true),
        Self.entry("StorDriver/FileDir", .regex(".*"), on: [.pool], internal: true),
        Self.entry("StorDriver/LuksFormatOptions", .string, on: [.ctrl, .node, .pool, .definition, .resource, .volumeDefinition], info: "Extra cryptsetup luksFormat options."),
        Self.entry("StorDriver/LuksOpenOptions", .string, on: [.ctrl, .node, .pool, .definition, .resource, .volumeDefinition], info: "Extra cryptsetup open options."),
        Self.entry("StorDriver/LvcreateOptions", .regex(".*"), on: [.ctrl, .node, .pool, .definition, .volumeDefinition], info: "Extra lvcreate options."),
        Self.entry(
            "StorDriver/LvcreatePvSelection", .string, on: [.ctrl, .node, .pool, .definition, .volumeDefinition],
            info: "pvs options selecting the physical volumes passed to lvcreate."),
        Self.entry("StorDriver/LvcreateSnapshotOptions", .regex(".*"), on: [.ctrl, .node, .pool, .definition, .volumeDefinition], info: "Extra lvcreate options for snapshots."),
        Self.entry(
            "StorDriver/LvcreateType", .symbol(["linear", "striped", "mirror", "raid0", "raid1", "raid4", "raid5", "raid6", "raid10", "lzma", "lz4"]),
            on: [.pool, .definition, .volumeDefinition], default: "linear", internal: true),
        Self.entry("StorDriver/LvmVg", .regex("[a-zA-Z0-9_-]+"), on: [.pool], internal: true),
        Self.entry("StorDriver/RemoteSpdk/ApiHost", .regex(".+"), on: [.ctrl, .node, .pool], info: "Host of the remote SPDK API."),
        Self.entry("StorDriver/RemoteSpdk/ApiPort", .regex("[0-9]+"), on: [.ctrl, .node, .pool], info: "Port of the remote SPDK API."),
        Self.entry("StorDriver/RemoteSpdk/UserName", .regex(".+"), on: [.ctrl, .node, .pool], info: "User name for the remote SPDK API."),
        Self.entry("StorDriver/RemoteSpdk/UserNameEnv", .regex(".+"), on: [.ctrl, .node, .pool], info: "Environment variable holding the remote SPDK user name."),
        Self.entry("StorDriver/RemoteSpdk/UserPassword", .regex(".+"), on: [.ctrl, .node, .pool], info: "Password for the remote SPDK API."),
        Self.entry("StorDriver/RemoteSpdk/UserPasswordEnv", .regex(".+"), on: [.ctrl, .node, .pool], info: "Environment variable holding the remote SPDK password."),
        Self.entry("StorDriver/SizesCacheTime", .long, on: [.ctrl, .node], info: "Milliseconds to cache lvs and vgs results."),
        Self.entry("StorDriver/StorPoolName", .regex("[a-zA-Z0-9_/-]+"), on: [.pool], internal: true),
        Self.entry("StorDriver/ThinPool", .regex("[a-zA-Z0-9_-]+"), on: [.pool], internal: true),
        Self.entry("StorDriver/WaitTimeoutAfterCreate", .regex("[0-9]+"), on: [.ctrl, .pool], internal: true),
        Self.entry("StorDriver/ZPool", .regex("[a-zA-Z0-9_/-]+"), on: [.pool], internal: true),
        Self.entry("StorDriver/ZPoolThin", .regex("[a-zA-Z0-9_/-]+"), on: [.pool], internal: true),
        Self.entry(
            "StorDriver/Zfs/DeleteStrategy", .symbol(["Delete", "Rename", "Dynamic"]), on: [.ctrl, .definition], default: "Dynamic",
            info: "How ZFS volumes with snapshots are deleted."),
        Self.entry(
            "StorDriver/Zfs/RollbackStrategy", .symbol(["Rollback", "Clone", "Dynamic"]), on: [.ctrl, .definition], default: "Dynamic", info: "How ZFS snapshots are rolled back."),
        Self.entry("StorDriver/ZfsSnapshotOptions", .regex(".*"), on: [.ctrl, .node, .pool, .definition, .volumeDefinition], info: "Extra zfs snapshot options."),
        Self.entry("StorDriver/ZfscreateOptions", .regex(".*"), on: [.ctrl, .node, .pool, .definition, .volumeDefinition], info: "Extra zfs create options."),
        Self.entry(
            "StorPoolName", .regex("^[a-zA-Z0-9_][a-zA-Z0-9_-]{2,47}$"), on: [.node, .definition, .resource, .volumeDefinition, .volume],
            info: "Storage pool new volumes are placed in."),
        Self.entry(
            "StorPoolNameDrbdMeta", .regex("^|.internal|[a-zA-Z0-9_][a-zA-Z0-9_-]{2,47}$"), on: [.node, .definition, .resource, .volumeDefinition, .volume],
            info: "Storage pool for external DRBD metadata ('.internal' keeps it on the data device)."),
        Self.entry("TcpPortAutoRange", .allocationRange(1...65535), on: [.ctrl], info: "TCP ports DRBD resources are given, LOW-HIGH."),
        Self.entry("UpdateCacheInterval", .long, on: [.ctrl], default: "180", info: "Seconds between refreshes of the satellites' free-space cache."),
        Self.entry("UseZFSClone", .booleanTrueFalse, on: [.ctrl, .definition], default: "false", info: "Clone ZFS volumes with zfs clone instead of copying."),
        Self.entry("Writecache/Options/Additional", .string, on: [.ctrl, .node, .definition, .volumeDefinition], info: "Extra dm-writecache options."),
        Self.entry("Writecache/Options/AutocommitBlocks", .long, on: [.ctrl, .node, .definition, .volumeDefinition], info: "Blocks written before dm-writecache commits."),
        Self.entry(
            "Writecache/Options/AutocommitTime", .long, on: [.ctrl, .node, .definition, .volumeDefinition], default: "1000", info: "Milliseconds before dm-writecache commits."),
        Self.entry("Writecache/Options/Fua", .symbol(["On", "Off"]), on: [.ctrl, .node, .definition, .volumeDefinition], default: "On", info: "Use FUA writes in dm-writecache."),
        Self.entry(
            "Writecache/Options/HighWatermark", .long, on: [.ctrl, .node, .definition, .volumeDefinition], default: "50",
            info: "dm-writecache starts writeback above this percentage."),
        Self.entry(
            "Writecache/Options/LowWatermark", .long, on: [.ctrl, .node, .definition, .volumeDefinition], default: "45",
            info: "dm-writecache stops writeback below this percentage."),
        Self.entry("Writecache/Options/StartSector", .long, on: [.ctrl, .node, .definition, .volumeDefinition], default: "0", info: "First sector dm-writecache uses."),
        Self.entry(
            "Writecache/Options/WritebackJobs", .long, on: [.ctrl, .node, .definition, .volumeDefinition], default: "unlimited", info: "Most dm-writecache writeback jobs at once."),
        Self.entry(
            "Writecache/PoolName", .regex("^[a-zA-Z0-9_][a-zA-Z0-9_-]{2,47}$"), on: [.ctrl, .node, .definition, .volumeDefinition],
            info: "Storage pool holding the dm-writecache device."),
        Self.entry(
            "Writecache/Size", .regex("^100%|[0-9]{1,2}([.][0-9]*)?%|[1-9][0-9]{2,}$"), on: [.ctrl, .node, .definition, .volumeDefinition],
            info: "Size of the dm-writecache device: a percentage of the volume or KiB."),
        Self.entry(
            "sys/fs/blkio_throttle_read", .long, on: [.ctrl, .node, .poolDefinition, .pool, .definition, .resource, .volumeDefinition, .volume],
            info: "Read bandwidth limit of the volume in bytes per second."),
        Self.entry(
            "sys/fs/blkio_throttle_read_iops", .long, on: [.ctrl, .node, .poolDefinition, .pool, .definition, .resource, .volumeDefinition, .volume],
            info: "Read IOPS limit of the volume."),
        Self.entry(
            "sys/fs/blkio_throttle_write", .long, on: [.ctrl, .node, .poolDefinition, .pool, .definition, .resource, .volumeDefinition, .volume],
            info: "Write bandwidth limit of the volume in bytes per second."),
        Self.entry(
            "sys/fs/blkio_throttle_write_iops", .long, on: [.ctrl, .node, .poolDefinition, .pool, .definition, .resource, .volumeDefinition, .volume],
            info: "Write IOPS limit of the volume."),
    ]

    static func entry(
        _ key: String, _ value: PropertyValueRule, on objects: [LinstorObject], default defaultValue: String? = nil,
        unit: String? = nil, internal isInternal: Bool = false, info: String? = nil
    ) -> PropertyDefinition {
        PropertyDefinition(
            key, value, owners: objects.reduce(into: Set()) { $0.formUnion($1.owners) }, default: defaultValue, unit: unit,
            internal: isInternal, info: info)
    }
}
