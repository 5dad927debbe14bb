/// DRBD Proxy's settings, which LINSTOR keeps apart from the object properties (set through the
/// resource definition's `drbd-proxy` calls, per compression section). Depot runs no DRBD Proxy; the
/// catalogue lists them so that `…/drbd-proxy/properties/info` answers as LINSTOR's does.
extension PropertyCatalog {
    /// The sections of `…/drbd-proxy/properties/info`, by LINSTOR's section name.
    public static let drbdProxySections: [String: [PropertyDefinition]] = [
        "DRBD_PROXY": [
            Self.proxy("DrbdOptions/Proxy/memlimit", .range(16_777_216...Int64.max), default: "16777216", unit: "bytes"),
            Self.proxy("DrbdOptions/Proxy/read-loops", .range(0...2_147_483_647), default: "0"),
            Self.proxy("DrbdOptions/Proxy/sndbuf-size", .range(0...10_485_760), default: "0", unit: "bytes"),
            Self.proxy("DrbdOptions/Proxy/rcvbuf-size", .range(0...10_485_760), default: "0", unit: "bytes"),
            Self.proxy("DrbdOptions/Proxy/ping-timeout", .range(1...300), default: "200", unit: "1/10 seconds"),
        ],
        "DRBD_PROXY_ZLIB": [Self.proxy("DrbdOptions/ProxyCompression/level", .range(1...9), default: "2")],
        "DRBD_PROXY_ZSTD": [Self.proxy("DrbdOptions/ProxyCompression/level", .range(1...22), default: "3")],
        "DRBD_PROXY_LZ4": [],
        "DRBD_PROXY_LZMA": [
            Self.proxy("DrbdOptions/ProxyCompression/dict-size", .range(4096...1_610_612_736), default: "32768"),
            Self.proxy("DrbdOptions/ProxyCompression/lc", .range(0...4), default: "3"),
            Self.proxy("DrbdOptions/ProxyCompression/lp", .range(0...4), default: "0"),
            Self.proxy("DrbdOptions/ProxyCompression/pb", .range(0...4), default: "2"),
            Self.proxy("DrbdOptions/ProxyCompression/nice-len", .range(0...273), default: "273"),
            Self.proxy("DrbdOptions/ProxyCompression/mf", .symbol(["hc4", "hc3", "bt2", "bt3", "bt4"]), default: "hc3"),
            Self.proxy("DrbdOptions/ProxyCompression/mode", .symbol(["fast", "normal"]), default: "fast"),
            Self.proxy("DrbdOptions/ProxyCompression/depth", .range(0...1000), default: "0"),
            Self.proxy("DrbdOptions/ProxyCompression/level", .range(1...9), default: "4"),
            Self.proxy("DrbdOptions/ProxyCompression/contexts", .range(1...253)),
            Self.proxy("DrbdOptions/ProxyCompression/fallback-to-zlib", .symbol(["off", "on"]), default: "off"),
            Self.proxy("DrbdOptions/ProxyCompression/numa-threshold", .range(0...253), default: "0"),
        ],
    ]

    private static func proxy(_ key: String, _ value: PropertyValueRule, default defaultValue: String? = nil, unit: String? = nil) -> PropertyDefinition {
        PropertyDefinition(key, value, owners: [], default: defaultValue, unit: unit, internal: true)
    }
}
