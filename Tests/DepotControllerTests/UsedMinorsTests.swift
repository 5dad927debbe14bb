import Testing

@testable import DepotController

/// The lowest free DRBD minor, found from the floor of minors known to be in use.
@Suite struct UsedMinorsTests {
    @Test func theLowestFreeMinorFollowsInsertsAndRemovalsInAnyOrder() {
        var minors = UsedMinors()
        for minor in [1002, 1000, 1001, 1004] { minors.insert(minor) }
        #expect(minors.lowestFree(in: 1000...49_999) == 1003)
        minors.insert(1003)
        #expect(minors.lowestFree(in: 1000...49_999) == 1005)
        minors.remove(1001)
        #expect(minors.lowestFree(in: 1000...49_999) == 1001)
        #expect(minors.lowestFree(in: 1000...49_999, excluding: [1001, 1005]) == 1006)
    }

    @Test func aRangeBelowOrAboveTheDefaultIsSearchedWhole() {
        var minors = UsedMinors()
        for minor in 1000...1010 { minors.insert(minor) }
        #expect(minors.lowestFree(in: 100...2000) == 100)
        #expect(minors.lowestFree(in: 5000...6000) == 5000)
        #expect(minors.lowestFree(in: 1000...1010) == nil)
    }
}
