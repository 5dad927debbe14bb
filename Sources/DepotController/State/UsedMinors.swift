import DepotModel

/// The DRBD minors in use, and where the search for a free one starts.
///
/// Every new volume definition takes the lowest free minor. Scanning from the start of the range
/// each time took a tenth of the controller's time at 15,000 volumes, inside the state actor. All
/// minors from the default range's start up to ``floor`` are in use, so a search starts there.
struct UsedMinors: Sendable {
    private(set) var numbers: Set<Int> = []
    /// Every minor in `base..<floor` is in ``numbers``.
    private var floor = Self.base

    private static let base = AllocationRange.drbdMinors.lowerBound

    func contains(_ minor: Int) -> Bool { self.numbers.contains(minor) }

    mutating func insert(_ minor: Int) {
        self.numbers.insert(minor)
        guard minor == self.floor else { return }
        while self.numbers.contains(self.floor) { self.floor += 1 }
    }

    mutating func remove(_ minor: Int) {
        self.numbers.remove(minor)
        if minor >= Self.base && minor < self.floor { self.floor = minor }
    }

    /// The lowest minor of `range` that is neither in use nor in `extra`.
    func lowestFree(in range: ClosedRange<Int>, excluding extra: Set<Int> = []) -> Int? {
        let start = range.lowerBound >= Self.base ? max(range.lowerBound, self.floor) : range.lowerBound
        guard start <= range.upperBound else { return nil }
        return (start...range.upperBound).first { !self.numbers.contains($0) && !extra.contains($0) }
    }
}
