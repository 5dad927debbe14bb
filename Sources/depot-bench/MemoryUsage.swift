import Foundation

/// A process's resident memory from `/proc/PID/status`: what the RSS targets are about.
struct MemoryUsage: Codable, Sendable {
    /// `VmRSS`: resident now.
    let rssKib: Int
    /// `VmHWM`: the most it was ever resident, which catches a peak the current figure hides.
    let peakKib: Int

    init(pid: Int32) throws {
        let path = "/proc/\(pid)/status"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw BenchError.setup("cannot read \(path)")
        }
        func field(_ name: String) throws -> Int {
            for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
                let words = line.dropFirst(name.count + 1).split(whereSeparator: \.isWhitespace)
                if let first = words.first, let value = Int(first) { return value }
            }
            throw BenchError.setup("no \(name) in \(path)")
        }
        self.rssKib = try field("VmRSS")
        self.peakKib = try field("VmHWM")
    }
}
