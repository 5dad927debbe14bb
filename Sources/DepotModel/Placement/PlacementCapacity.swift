/// How much a pool can still take, with LINSTOR's over-subscription rules for thin pools.
///
/// `min(free × MaxFreeCapacityOversubscriptionRatio, total × MaxTotalCapacityOversubscriptionRatio −
/// reserved)`; both ratios default to `MaxOversubscriptionRatio`, which defaults to 20 for thin pools
/// and 1 for thick ones. A thin pool must also keep `Autoplacer/MinThinFreeSpace` (default 10 % of
/// its size) free.
public struct PlacementCapacity: Sendable, Equatable {
    public var availableKiB: Int64
    public var minimumFreeKiB: Int64

    public static let thinOversubscriptionDefault = 20.0

    /// `nil` while the pool has not reported its capacity.
    public init?(_ pool: PlacementPool, controllerProps: [String: String]) {
        guard let free = pool.freeKiB, let total = pool.totalKiB else { return nil }
        // The pool's own setting, else the controller's (placement sees no node level here).
        let properties = EffectiveProperties.storagePool(pool.props, node: nil, controller: controllerProps)
        func ratio(_ key: String) -> Double? { properties[key].flatMap(Double.init) }
        let base = ratio("MaxOversubscriptionRatio") ?? (pool.kind.isThin ? Self.thinOversubscriptionDefault : 1)
        let freeRatio = ratio("MaxFreeCapacityOversubscriptionRatio") ?? base
        let totalRatio = ratio("MaxTotalCapacityOversubscriptionRatio") ?? base
        let byFree = Self.clamped(Double(free) * freeRatio)
        let byTotal = Self.clamped(Double(total) * totalRatio) - pool.reservedKiB
        self.availableKiB = max(0, min(byFree, byTotal))
        self.minimumFreeKiB = pool.kind.isThin ? Self.minimumFree(properties["Autoplacer/MinThinFreeSpace"], total: total) : 0
    }

    private static func clamped(_ value: Double) -> Int64 {
        value >= Double(Int64.max) ? Int64.max : Int64(value)
    }

    /// `10%`, `1G`, `512M`, or a number of KiB; anything unreadable means the default 10 %.
    static func minimumFree(_ text: String?, total: Int64) -> Int64 {
        let percent: (Double) -> Int64 = { value in Int64((Double(total) / 100 * value).rounded(.up)) }
        guard let text = text?.trimmingPrefixAndSuffixSpaces(), !text.isEmpty else { return percent(10) }
        if text.hasSuffix("%"), let value = Double(text.dropLast()), value >= 0 { return percent(value) }
        let units: [Character: Int64] = ["K": 1, "M": 1 << 10, "G": 1 << 20, "T": 1 << 30]
        var digits = Substring(text.uppercased())
        if digits.hasSuffix("IB") { digits = digits.dropLast(2) } else if digits.hasSuffix("B") { digits = digits.dropLast() }
        if let unit = digits.last.flatMap({ units[$0] }), let value = Int64(digits.dropLast()) { return value * unit }
        if let value = Int64(digits) { return value }
        return percent(10)
    }
}

extension String {
    func trimmingPrefixAndSuffixSpaces() -> String {
        String(self.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
