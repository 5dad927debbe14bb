/// The DRBD 9 options Depot accepts as `DrbdOptions/<Section>/<name>` properties, with their value
/// rules (names, ranges and choices as drbd-utils 9 documents them in `drbdsetup xml-help`).
///
/// A typo or an out-of-range value is refused when the property is set, with the allowed values,
/// instead of reaching drbdadm on every node. The CLI's `drbd-options` commands are built from the
/// same list.
public enum DRBDOptionCatalog {
    public enum Section: String, Sendable, CaseIterable {
        case resource = "Resource"
        case disk = "Disk"
        case peerDevice = "PeerDevice"
        case net = "Net"
        case handlers = "Handlers"
    }

    /// What a number is counted in when it has no unit suffix.
    public enum Unit: Sendable {
        /// A plain count (no size suffix).
        case one
        /// A size in bytes, sectors, KiB or MiB: `4K`, `1M` are accepted as well.
        case byte, sector, kibi, mebi

        var bytes: Int64 {
            switch self {
            case .one, .byte: 1
            case .sector: 512
            case .kibi: 1024
            case .mebi: 1 << 20
            }
        }
    }

    public enum Kind: Sendable {
        case text
        case boolean
        case choice([String])
        case number(ClosedRange<Int64>, unit: Unit)
        case numberOrChoice(ClosedRange<Int64>, [String])
    }

    public struct Option: Sendable {
        public let name: String
        public let section: Section
        public let kind: Kind

        init(_ name: String, _ section: Section, _ kind: Kind) {
            self.name = name
            self.section = section
            self.kind = kind
        }

        /// The property key this option is stored under.
        public var key: String { "DrbdOptions/\(self.section.rawValue)/\(self.name)" }

        /// Why `value` is not valid for this option, or `nil` when it is.
        public func problem(with value: String) -> String? {
            switch self.kind {
            case .text:
                return value.isEmpty ? "needs a value" : nil
            case .boolean:
                return ["yes", "no"].contains(value.lowercased()) ? nil : "must be yes or no"
            case .choice(let choices):
                return choices.contains(value) ? nil : "must be one of " + choices.joined(separator: ", ")
            case .numberOrChoice(let range, let choices):
                if choices.contains(value) { return nil }
                guard let number = Int64(value), range.contains(number) else {
                    return "must be a number from \(range.lowerBound) to \(range.upperBound) or one of " + choices.joined(separator: ", ")
                }
                return nil
            case .number(let range, let unit):
                guard let number = Self.number(value, unit: unit), range.contains(number) else {
                    let suffix = unit == .one ? "" : " (or a size with K, M, G)"
                    return "must be a number from \(range.lowerBound) to \(range.upperBound)\(suffix)"
                }
                return nil
            }
        }

        /// `100M` for an option counted in KiB is 102400; a plain number is taken as is.
        static func number(_ value: String, unit: Unit) -> Int64? {
            if let plain = Int64(value) { return plain }
            guard unit != .one, let last = value.last else { return nil }
            let multipliers: [Character: Int64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30]
            guard let multiplier = multipliers[last], let count = Int64(value.dropLast()), count >= 0 else { return nil }
            let (bytes, overflow) = count.multipliedReportingOverflow(by: multiplier)
            return overflow ? nil : bytes / unit.bytes
        }
    }

    /// DRBD's handlers: each names a program to run, so any path or command name is a value.
    public static let handlers = [
        "after-resync-target", "before-resync-source", "before-resync-target", "disconnected", "fence-peer", "initial-split-brain",
        "local-io-error", "out-of-sync", "pri-lost", "pri-lost-after-sb", "pri-on-incon-degr", "quorum-lost", "split-brain", "unfence-peer",
    ]

    public static let options: [Option] = [
        Option("cpu-mask", .resource, .text),
        Option("on-no-data-accessible", .resource, .choice(["io-error", "suspend-io"])),
        Option("auto-promote", .resource, .boolean),
        Option("peer-ack-window", .resource, .number(2048...204800, unit: .sector)),
        Option("peer-ack-delay", .resource, .number(1...10000, unit: .one)),
        Option("twopc-timeout", .resource, .number(50...600, unit: .one)),
        Option("twopc-retry-timeout", .resource, .number(1...50, unit: .one)),
        Option("auto-promote-timeout", .resource, .number(0...600, unit: .one)),
        Option("max-io-depth", .resource, .number(4...4294967295, unit: .one)),
        Option("quorum", .resource, .numberOrChoice(1...32, ["off", "majority", "all"])),
        Option("on-no-quorum", .resource, .choice(["io-error", "suspend-io"])),
        Option("quorum-minimum-redundancy", .resource, .numberOrChoice(1...32, ["off", "majority", "all"])),
        Option("on-suspended-primary-outdated", .resource, .choice(["disconnect", "force-secondary"])),
        Option("on-io-error", .disk, .choice(["pass_on", "call-local-io-error", "detach"])),
        Option("disk-barrier", .disk, .boolean),
        Option("disk-flushes", .disk, .boolean),
        Option("disk-drain", .disk, .boolean),
        Option("md-flushes", .disk, .boolean),
        Option("resync-after", .disk, .text),
        Option("al-extents", .disk, .number(67...65534, unit: .one)),
        Option("al-updates", .disk, .boolean),
        Option("discard-zeroes-if-aligned", .disk, .boolean),
        Option("disable-write-same", .disk, .boolean),
        Option("disk-timeout", .disk, .number(0...6000, unit: .one)),
        Option("read-balancing", .disk, .choice(["prefer-local", "prefer-remote", "round-robin", "least-pending", "when-congested-remote", "32K-striping", "64K-striping", "128K-striping", "256K-striping", "512K-striping", "1M-striping"])),
        Option("rs-discard-granularity", .disk, .number(0...1048576, unit: .byte)),
        Option("resync-rate", .peerDevice, .number(1...8388608, unit: .kibi)),
        Option("c-plan-ahead", .peerDevice, .number(0...300, unit: .one)),
        Option("c-delay-target", .peerDevice, .number(1...100, unit: .one)),
        Option("c-fill-target", .peerDevice, .number(0...1048576, unit: .sector)),
        Option("c-max-rate", .peerDevice, .number(0...4194304, unit: .kibi)),
        Option("c-min-rate", .peerDevice, .number(0...4194304, unit: .kibi)),
        Option("bitmap", .peerDevice, .boolean),
        Option("protocol", .net, .choice(["A", "B", "C"])),
        Option("timeout", .net, .number(1...600, unit: .one)),
        Option("max-epoch-size", .net, .number(1...20000, unit: .one)),
        Option("connect-int", .net, .number(1...120, unit: .one)),
        Option("ping-int", .net, .number(1...120, unit: .one)),
        Option("sndbuf-size", .net, .number(0...10485760, unit: .byte)),
        Option("rcvbuf-size", .net, .number(0...10485760, unit: .byte)),
        Option("ko-count", .net, .number(0...200, unit: .one)),
        Option("allow-two-primaries", .net, .boolean),
        Option("cram-hmac-alg", .net, .text),
        Option("shared-secret", .net, .text),
        Option("after-sb-0pri", .net, .choice(["disconnect", "discard-younger-primary", "discard-older-primary", "discard-zero-changes", "discard-least-changes", "discard-local", "discard-remote"])),
        Option("after-sb-1pri", .net, .choice(["disconnect", "consensus", "discard-secondary", "call-pri-lost-after-sb", "violently-as0p"])),
        Option("after-sb-2pri", .net, .choice(["disconnect", "call-pri-lost-after-sb", "violently-as0p"])),
        Option("always-asbp", .net, .boolean),
        Option("rr-conflict", .net, .choice(["disconnect", "call-pri-lost", "violently", "retry-connect", "auto-discard"])),
        Option("ping-timeout", .net, .number(1...300, unit: .one)),
        Option("data-integrity-alg", .net, .text),
        Option("tcp-cork", .net, .boolean),
        Option("on-congestion", .net, .choice(["block", "pull-ahead", "disconnect"])),
        Option("congestion-fill", .net, .number(0...20971520, unit: .sector)),
        Option("congestion-extents", .net, .number(67...65534, unit: .one)),
        Option("csums-alg", .net, .text),
        Option("csums-after-crash-only", .net, .boolean),
        Option("verify-alg", .net, .text),
        Option("use-rle", .net, .boolean),
        Option("socket-check-timeout", .net, .number(0...300, unit: .one)),
        Option("fencing", .net, .choice(["dont-care", "resource-only", "resource-and-stonith"])),
        Option("max-buffers", .net, .number(32...131072, unit: .one)),
        Option("allow-remote-read", .net, .boolean),
        // Newer DRBD and LINSTOR keys that drbd-utils 9.22 does not list.
        Option("transport", .net, .text),
        Option("tls", .net, .boolean),
        Option("load-balance-paths", .net, .boolean),
    ] + handlers.map { Option($0, .handlers, .text) }

    private static let byKey: [String: Option] = Dictionary(uniqueKeysWithValues: options.map { ($0.key, $0) })

    /// The option stored under a `DrbdOptions/<Section>/<name>` key.
    public static func option(forKey key: String) -> Option? { self.byKey[key] }

    public static func options(in sections: Set<Section>) -> [Option] {
        self.options.filter { sections.contains($0.section) }
    }
}
