/// Lowest-free allocation, as LINSTOR's number pools hand out DRBD minors, ports and node-ids.
public enum NumberAllocation {
    /// The lowest number of `range` not in `used`, or nil when every number is taken.
    public static func lowestFree(in range: ClosedRange<Int>, excluding used: Set<Int>) -> Int? {
        range.first { !used.contains($0) }
    }
}

/// LINSTOR's default allocation ranges.
public enum AllocationRange {
    public static let drbdMinors: ClosedRange<Int> = 1000...49_999
    public static let tcpPorts: ClosedRange<Int> = 7000...7999
    public static let drbdNodeIDs: ClosedRange<Int> = 0...31
    public static let maxMinor = (1 << 20) - 1

    /// Parses a range property such as `TcpPortAutoRange=7000-7999`.
    public static func parse(_ text: String, within limits: ClosedRange<Int>) -> ClosedRange<Int>? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2,
            let low = Int(parts[0].trimmingSpaces()), let high = Int(parts[1].trimmingSpaces()),
            low <= high, limits.contains(low), limits.contains(high)
        else { return nil }
        return low...high
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var text = self
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}
