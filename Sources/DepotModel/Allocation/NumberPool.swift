/// A range of integers with lowest-free allocation, as LINSTOR's `BitmapPool`.
///
/// Used for DRBD minors (cluster-wide), TCP ports (per node) and node-ids (per resource definition).
/// A bitmap keeps allocation O(range/64) so that 10,000s of allocations stay cheap.
public struct NumberPool: Sendable, Equatable {
    public let range: ClosedRange<Int>
    private var words: [UInt64]

    public init(range: ClosedRange<Int>) {
        self.range = range
        self.words = Array(repeating: 0, count: (range.count + 63) / 64)
    }

    public func isAllocated(_ number: Int) -> Bool {
        guard self.range.contains(number) else { return false }
        let index = number - self.range.lowerBound
        return self.words[index / 64] & (1 << UInt64(index % 64)) != 0
    }

    /// Marks a number used; numbers outside the range are ignored (they were allocated under an
    /// older range setting and stay valid for their objects).
    public mutating func mark(_ number: Int) {
        guard self.range.contains(number) else { return }
        let index = number - self.range.lowerBound
        self.words[index / 64] |= 1 << UInt64(index % 64)
    }

    public mutating func release(_ number: Int) {
        guard self.range.contains(number) else { return }
        let index = number - self.range.lowerBound
        self.words[index / 64] &= ~(1 << UInt64(index % 64))
    }

    /// The lowest free number, or nil when the pool is exhausted.
    public func lowestFree() -> Int? {
        for (wordIndex, word) in self.words.enumerated() where word != UInt64.max {
            let bit = (~word).trailingZeroBitCount
            let number = self.range.lowerBound + wordIndex * 64 + bit
            return self.range.contains(number) ? number : nil
        }
        return nil
    }

    /// Allocates and returns the lowest free number.
    public mutating func allocateLowest() -> Int? {
        guard let number = self.lowestFree() else { return nil }
        self.mark(number)
        return number
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
