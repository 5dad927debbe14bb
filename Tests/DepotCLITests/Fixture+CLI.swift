import DepotClient
import DepotTestSupport
import Foundation

@testable import DepotCLI

/// Test inputs and golden outputs under `Fixtures/` (the goldens were printed by LINSTOR's own client
/// from the same JSON with `--from-file`, in UTC).
extension Fixture {
    static func json(_ name: String, filePath: String = #filePath) throws -> JSONValue {
        try JSONValue.parse(try Self.data(name, filePath: filePath))
    }

    /// A golden table whose timestamps (1700000000000 ms, printed in UTC) are shown in local time.
    static func golden(_ name: String, filePath: String = #filePath) throws -> String {
        try Self.text(name, filePath: filePath).replacingOccurrences(
            of: "2023-11-14 22:13:20",
            with: LocalTime.format(milliseconds: 1_700_000_000_000)
        )
    }
}
