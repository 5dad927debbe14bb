public import Foundation

/// Files a test target keeps in its `Fixtures/` folder: recorded tool output, golden tables.
///
/// The folder is found from the calling test's source file (`#filePath`), walking up to the nearest
/// directory that has a `Fixtures` folder, so a test in a subfolder needs no path of its own.
public enum Fixture {
    /// The URL of fixture `name` of the calling test's target.
    public static func url(_ name: String, filePath: String = #filePath) -> URL {
        var directory = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("Fixtures")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate.appendingPathComponent(name) }
            directory.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
    }

    /// The text of fixture `name`.
    public static func text(_ name: String, filePath: String = #filePath) throws -> String {
        try String(contentsOf: Self.url(name, filePath: filePath), encoding: .utf8)
    }

    /// The bytes of fixture `name`.
    public static func data(_ name: String, filePath: String = #filePath) throws -> Data {
        try Data(contentsOf: Self.url(name, filePath: filePath))
    }
}
