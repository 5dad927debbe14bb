import Foundation

/// Progress lines on stderr, so that stdout carries only the report (or its JSON).
enum Progress {
    static func say(_ line: String) {
        FileHandle.standardError.write(Data("depot-bench: \(line)\n".utf8))
    }
}
