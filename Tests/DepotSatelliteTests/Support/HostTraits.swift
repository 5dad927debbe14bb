import DepotSatellite
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What this host offers real tests.
enum Host {
    static func tool(_ name: String) -> String? { LocalProbeSystem().findExecutable(name) }
    static var isRoot: Bool { geteuid() == 0 }
    static var hasLoopDevices: Bool { access("/dev/loop-control", F_OK) == 0 }
}

extension Trait where Self == ConditionTrait {
    /// Skips, saying so, unless the tests run as root (loop devices and LVM need it).
    static var requiresRoot: Self {
        .enabled(if: Host.isRoot, "needs root to attach loop devices and run LVM")
    }

    /// Skips, saying so, unless `name` is installed.
    static func requiresTool(_ name: String) -> Self {
        .enabled(if: Host.tool(name) != nil, "needs '\(name)', which is not installed (CI installs it)")
    }

    /// Skips, saying so, unless the kernel offers loop devices.
    static var requiresLoopDevices: Self {
        .enabled(if: Host.hasLoopDevices, "needs loop devices (/dev/loop-control is missing)")
    }
}
