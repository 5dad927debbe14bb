import Subprocess
import Synchronization

/// Reads a running program's output streams into memory, keeping at most a fixed number of bytes of each.
enum OutputCapture {
    /// Which part of an over-long stream to keep.
    enum Keep: Sendable {
        /// The first bytes: stdout, which parsers read from the top.
        case head
        /// The last bytes: stderr, whose end usually says what went wrong.
        case tail
    }

    /// What was read of one stream.
    struct Captured: Sendable {
        var bytes: [UInt8] = []
        var isTruncated = false

        /// The bytes as UTF-8, invalid sequences replaced.
        var text: String { String(decoding: self.bytes, as: UTF8.self) }

        /// Adds `chunk`; for `.tail` the buffer may hold up to twice `limit` so that trimming stays cheap.
        mutating func append(_ chunk: UnsafeRawBufferPointer, limit: Int, keep: Keep) {
            switch keep {
            case .head:
                let room = max(0, limit - self.bytes.count)
                if chunk.count > room { self.isTruncated = true }
                self.bytes.append(contentsOf: chunk.prefix(room))
            case .tail:
                self.bytes.append(contentsOf: chunk)
                if self.bytes.count > 2 * limit {
                    self.bytes.removeFirst(self.bytes.count - limit)
                    self.isTruncated = true
                }
            }
        }

        /// The stream as kept: for `.tail`, only the last `limit` bytes.
        func finished(limit: Int) -> Captured {
            guard self.bytes.count > limit else { return self }
            return Captured(bytes: Array(self.bytes.suffix(limit)), isTruncated: true)
        }
    }

    /// Both streams of one run, filled while the program runs, so that what a program printed
    /// before it timed out is still there to report.
    final class Box: Sendable {
        let limit: Int
        // Mutex makes the buffers safe to fill from the two reading tasks and read afterwards.
        private let streams = Mutex<(stdout: Captured, stderr: Captured)>((Captured(), Captured()))

        init(limit: Int) {
            self.limit = limit
        }

        /// Standard output so far.
        var stdout: Captured { self.streams.withLock { $0.stdout } }

        /// Standard error so far, at most `limit` bytes from its end.
        var stderr: Captured { self.streams.withLock { $0.stderr }.finished(limit: self.limit) }

        /// Which stream a sequence is.
        enum Stream: Sendable {
            /// Standard output; its beginning is kept.
            case stdout
            /// Standard error; its end is kept.
            case stderr
        }

        /// Reads `sequence` to its end into `stream`.
        func collect(_ sequence: SubprocessOutputSequence, into stream: Stream) async throws {
            for try await buffer in sequence {
                buffer.withUnsafeBytes { raw in
                    self.streams.withLock { streams in
                        switch stream {
                        case .stdout: streams.stdout.append(raw, limit: self.limit, keep: .head)
                        case .stderr: streams.stderr.append(raw, limit: self.limit, keep: .tail)
                        }
                    }
                }
            }
        }
    }
}
