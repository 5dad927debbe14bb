/// The DRBD 9 options Depot accepts as `DrbdOptions/<Section>/<name>` properties, with their value
/// rules (names, ranges, choices, defaults and units as drbd-utils 9.34 documents them in
/// `drbdsetup xml-help`, the same list LINSTOR whitelists).
///
/// A typo or an out-of-range value is refused when the property is set, with the allowed values,
/// instead of reaching drbdadm on every node. The CLI's `drbd-options` commands and the
/// ``PropertyCatalog`` (validation, `…/properties/info`) are built from the same list.
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
        /// DRBD's value when the option is not set, as `drbdsetup xml-help` reports it.
        public let defaultValue: String?
        /// What a plain number counts (`1/10 seconds`, `bytes/second`), for the catalogue's readers.
        public let unitName: String?

        init(_ name: String, _ section: Section, _ kind: Kind, default defaultValue: String? = nil, unit unitName: String? = nil) {
            self.name = name
            self.section = section
            self.kind = kind
            self.defaultValue = defaultValue
            self.unitName = unitName
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

    public static let options: [Option] =
        [
            Option("auto-promote", .resource, .boolean, default: "yes"),
            Option("auto-promote-timeout", .resource, .number(0...600, unit: .one), default: "20", unit: "1/10 seconds"),
            Option("cpu-mask", .resource, .text),
            Option("drbd8-api-compatibility", .resource, .boolean, default: "no"),
            Option("max-io-depth", .resource, .number(4...4_294_967_295, unit: .one), default: "8000"),
            Option("on-no-data-accessible", .resource, .choice(["io-error", "suspend-io"])),
            Option("on-no-quorum", .resource, .choice(["io-error", "suspend-io"])),
            Option("on-suspended-primary-outdated", .resource, .choice(["disconnect", "force-secondary"])),
            Option("peer-ack-delay", .resource, .number(1...10000, unit: .one), default: "100", unit: "milliseconds"),
            Option("peer-ack-window", .resource, .number(2048...204800, unit: .sector), default: "4096", unit: "bytes"),
            Option("quorum", .resource, .numberOrChoice(1...32, ["off", "majority", "all"])),
            Option("quorum-minimum-redundancy", .resource, .numberOrChoice(1...32, ["off", "majority", "all"])),
            Option("twopc-retry-timeout", .resource, .number(1...50, unit: .one), default: "1", unit: "1/10 seconds"),
            Option("twopc-timeout", .resource, .number(50...600, unit: .one), default: "300", unit: "1/10 seconds"),
            Option("al-extents", .disk, .number(67...65534, unit: .one), default: "1237"),
            Option("al-updates", .disk, .boolean, default: "yes"),
            Option("block-size", .disk, .number(512...4096, unit: .one), default: "512"),
            Option("disable-write-same", .disk, .boolean, default: "no"),
            Option("discard-granularity", .disk, .number(0...134_217_728, unit: .one), default: "4294967295"),
            Option("discard-zeroes-if-aligned", .disk, .boolean, default: "yes"),
            Option("disk-barrier", .disk, .boolean, default: "no"),
            Option("disk-drain", .disk, .boolean, default: "yes"),
            Option("disk-flushes", .disk, .boolean, default: "yes"),
            Option("disk-timeout", .disk, .number(0...6000, unit: .one), default: "0", unit: "1/10 seconds"),
            Option("diskless", .disk, .boolean, default: "no"),
            Option("max-bio-size", .disk, .number(512...1_048_576, unit: .one), default: "1048576"),
            Option("md-flushes", .disk, .boolean, default: "yes"),
            Option("on-io-error", .disk, .choice(["pass_on", "call-local-io-error", "detach"])),
            Option(
                "read-balancing", .disk,
                .choice([
                    "prefer-local", "prefer-remote", "round-robin", "least-pending", "when-congested-remote", "32K-striping", "64K-striping", "128K-striping", "256K-striping",
                    "512K-striping", "1M-striping",
                ])),
            Option("resync-after", .disk, .text),
            Option("rs-discard-granularity", .disk, .number(0...1_048_576, unit: .byte), default: "0", unit: "bytes"),
            Option("bitmap", .peerDevice, .boolean, default: "yes"),
            Option("c-delay-target", .peerDevice, .number(1...100, unit: .one), default: "10", unit: "1/10 seconds"),
            Option("c-fill-target", .peerDevice, .number(0...1_048_576, unit: .sector), default: "100", unit: "bytes"),
            Option("c-max-rate", .peerDevice, .number(0...4_194_304, unit: .kibi), default: "102400", unit: "bytes/second"),
            Option("c-min-rate", .peerDevice, .number(0...4_194_304, unit: .kibi), default: "250", unit: "bytes/second"),
            Option("c-plan-ahead", .peerDevice, .number(0...300, unit: .one), default: "20", unit: "1/10 seconds"),
            Option("peer-tiebreaker", .peerDevice, .boolean, default: "yes"),
            Option("resync-rate", .peerDevice, .number(1...8_388_608, unit: .kibi), default: "250", unit: "bytes/second"),
            Option("resync-without-replication", .peerDevice, .boolean, default: "yes"),
            Option(
                "after-sb-0pri", .net,
                .choice(["disconnect", "discard-younger-primary", "discard-older-primary", "discard-zero-changes", "discard-least-changes", "discard-local", "discard-remote"])),
            Option("after-sb-1pri", .net, .choice(["disconnect", "consensus", "discard-secondary", "call-pri-lost-after-sb", "violently-as0p"])),
            Option("after-sb-2pri", .net, .choice(["disconnect", "call-pri-lost-after-sb", "violently-as0p"])),
            Option("allow-remote-read", .net, .boolean, default: "yes"),
            Option("allow-two-primaries", .net, .boolean, default: "no"),
            Option("always-asbp", .net, .boolean, default: "no"),
            Option("congestion-extents", .net, .number(67...65534, unit: .one), default: "1237"),
            Option("congestion-fill", .net, .number(0...20_971_520, unit: .sector), default: "0", unit: "bytes"),
            Option("connect-int", .net, .number(1...120, unit: .one), default: "10", unit: "seconds"),
            Option("cram-hmac-alg", .net, .text),
            Option("csums-after-crash-only", .net, .boolean, default: "no"),
            Option("csums-alg", .net, .text),
            Option("data-integrity-alg", .net, .text),
            Option("fencing", .net, .choice(["dont-care", "resource-only", "resource-and-stonith"])),
            Option("ko-count", .net, .number(0...200, unit: .one), default: "7"),
            Option("load-balance-paths", .net, .boolean, default: "no"),
            Option("max-buffers", .net, .number(32...131072, unit: .one), default: "2048"),
            Option("max-epoch-size", .net, .number(1...20000, unit: .one), default: "2048"),
            Option("on-congestion", .net, .choice(["block", "pull-ahead", "disconnect"])),
            Option("ping-int", .net, .number(1...120, unit: .one), default: "10", unit: "seconds"),
            Option("ping-timeout", .net, .number(1...300, unit: .one), default: "5", unit: "1/10 seconds"),
            Option("protocol", .net, .choice(["A", "B", "C"])),
            Option("rcvbuf-size", .net, .number(0...134_217_728, unit: .byte), default: "0", unit: "bytes"),
            Option("rdma-ctrl-rcvbuf-size", .net, .number(0...10_485_760, unit: .one), default: "0"),
            Option("rdma-ctrl-sndbuf-size", .net, .number(0...10_485_760, unit: .one), default: "0"),
            Option("rr-conflict", .net, .choice(["disconnect", "call-pri-lost", "violently", "retry-connect", "auto-discard"])),
            Option("shared-secret", .net, .text),
            Option("sndbuf-size", .net, .number(0...134_217_728, unit: .byte), default: "0", unit: "bytes"),
            Option("socket-check-timeout", .net, .number(0...300, unit: .one), default: "0"),
            Option("tcp-cork", .net, .boolean, default: "yes"),
            Option("timeout", .net, .number(1...600, unit: .one), default: "60", unit: "1/10 seconds"),
            Option("tls", .net, .boolean, default: "no"),
            Option("tls-certificate", .net, .text),
            Option("tls-keyring", .net, .text),
            Option("tls-privkey", .net, .text),
            Option("transport", .net, .text),
            Option("use-rle", .net, .boolean, default: "yes"),
            Option("verify-alg", .net, .text),
        ] + handlers.map { Option($0, .handlers, .text) }

    private static let byKey: [String: Option] = Dictionary(uniqueKeysWithValues: options.map { ($0.key, $0) })

    /// The option stored under a `DrbdOptions/<Section>/<name>` key.
    public static func option(forKey key: String) -> Option? { self.byKey[key] }

    public static func options(in sections: Set<Section>) -> [Option] {
        self.options.filter { sections.contains($0.section) }
    }
}
