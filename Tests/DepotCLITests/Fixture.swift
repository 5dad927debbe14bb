import DepotClient
import Foundation

@testable import DepotCLI

/// Test inputs and golden outputs under `Fixtures/` (the goldens were printed by LINSTOR's own client
/// from the same JSON with `--from-file`, in UTC).
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures"
    )

    static func text(_ name: String) throws -> String {
        try String(contentsOf: Self.directory.appendingPathComponent(name), encoding: .utf8)
    }

    static func json(_ name: String) throws -> JSONValue {
        try JSONValue.parse(try Data(contentsOf: Self.directory.appendingPathComponent(name)))
    }

    /// A golden table whose timestamps (1700000000000 ms, printed in UTC) are shown in local time.
    static func golden(_ name: String) throws -> String {
        try Self.text(name).replacingOccurrences(
            of: "2023-11-14 22:13:20",
            with: LocalTime.format(milliseconds: 1_700_000_000_000)
        )
    }
}
