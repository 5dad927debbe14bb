/// Where this satellite keeps its DRBD configuration and which tools it drives.
///
/// Several satellites can share one machine (a test cluster on 127.0.0.N) by giving each its own
/// configuration directory and host name.
public struct DRBDSettings: Sendable, Equatable {
    /// Holds one `<resource>.res` per resource and the satellite's own top-level `depot-drbd.conf`.
    public var configDirectory: String
    /// The drbdsetup drbdadm calls (`drbdadm -s`); `nil` uses the one in `PATH`.
    public var drbdsetup: String?
    /// The name of this node's `on` section; drbdadm learns it through `__DRBD_NODE__`.
    public var hostname: String
    /// The module version the probe found; drbdadm is told it (`DRBD_DRIVER_VERSION_OVERRIDE`) so it
    /// plans for the kernel that the configured drbdsetup talks to, not for what `/proc` shows.
    public var moduleVersion: String?
    /// A file in `/etc/drbd.d` that includes this satellite's `.res` files, so that DRBD's helpers
    /// (the kernel runs `drbdadm` with `/etc/drbd.conf` for fence-peer, split-brain, …) find Depot's
    /// resources; `nil` writes none (several test satellites on one host).
    public var systemInclude: String?

    public static let defaultConfigDirectory = "/var/lib/depot.d"
    /// `/etc/drbd.conf` includes `drbd.d/*.res`: this file is picked up with the others.
    public static let defaultSystemInclude = "/etc/drbd.d/depot-resources.res"

    public init(
        configDirectory: String = DRBDSettings.defaultConfigDirectory, drbdsetup: String? = nil, hostname: String, moduleVersion: String? = nil,
        systemInclude: String? = nil
    ) {
        self.configDirectory = configDirectory
        self.drbdsetup = drbdsetup
        self.hostname = hostname
        self.moduleVersion = moduleVersion
        self.systemInclude = systemInclude
    }

    /// The file every drbdadm call reads: `global` settings and an include of the `.res` files, so the
    /// satellite never depends on what `/etc/drbd.conf` includes.
    public var mainConfigPath: String { self.configDirectory + "/depot-drbd.conf" }

    public func resourceFilePath(_ resource: String) -> String { self.configDirectory + "/" + resource + ".res" }

    /// Where a new file waits for validation; it does not match the `*.res` include.
    public func candidateFilePath(_ resource: String) -> String { self.configDirectory + "/" + resource + ".res.new" }

    /// The include DRBD's own `drbdadm` calls read through `/etc/drbd.conf`.
    var systemIncludeText: String {
        """
        # Written by depot-satellite: Depot's DRBD resources, for drbdadm calls that read /etc/drbd.conf
        # (DRBD's handlers among them). Removing this file hides them from those calls.
        include "\(self.configDirectory)/*.res";

        """
    }

    var mainConfig: String {
        """
        # Written by depot-satellite; drbdadm calls of the satellite read this file.
        global {
            usage-count no;
        }
        include "\(self.configDirectory)/*.res";

        """
    }
}
