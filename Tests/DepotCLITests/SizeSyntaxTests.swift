import Testing

@testable import DepotCLI

@Suite struct SizeSyntaxTests {
    @Test(
        arguments: [
            ("150m", 153_600), ("150M", 153_600), ("1G", 1_048_576), ("1GiB", 1_048_576), ("1gib", 1_048_576),
            ("500MB", 488_282), ("100MB", 97_657), ("1", 1_048_576), ("1B", 1), ("0", 0), ("1k", 1), ("1kB", 1),
            ("2048S", 1024), ("10G5", 10_485_760), ("1T", 1_073_741_824), ("1P", 1_099_511_627_776),
            ("1PB", 976_562_500_000),
        ] as [(String, Int64)]
    )
    func parsesLikeLinstor(_ text: String, _ kib: Int64) throws {
        #expect(try SizeSyntax.kibibytes(text) == kib)
    }

    @Test func defaultUnitCanChange() throws {
        #expect(try SizeSyntax.kibibytes("10", defaultUnit: "KiB") == 10)
    }

    @Test(arguments: [
        ("1.5G", "\".\" is not a valid unit!"), ("10 GiB", "\" GiB\" is not a valid unit!"),
        ("G", "Size is not a valid number"),
        ("", "Size is not a valid number"), ("1EiB", "\"EiB\" is not a valid unit!"),
    ])
    func refusesWithLinstorsMessages(_ text: String, _ message: String) {
        #expect {
            try SizeSyntax.kibibytes(text)
        } throws: { error in
            (error as? SizeSyntax.Failure)?.message.hasPrefix(message) == true
        }
    }

    @Test(
        arguments: [
            (0, "0 KiB"), (1023, "1023 KiB"), (1024, "1 MiB"), (1536, "1.50 MiB"), (153_600, "150 MiB"),
            (150_000, "146.48 MiB"), (10_485_760, "10 GiB"), (368_531_456, "351.46 GiB"), (1_073_741_824, "1 TiB"),
            (1_099_511_627_776, "1 PiB"), (2_199_023_255_552, "2 PiB"),
        ] as [(Int64, String)]
    )
    func approximatesLikeLinstor(_ kib: Int64, _ text: String) {
        #expect(SizeSyntax.approximate(kib: kib) == text)
    }
}
