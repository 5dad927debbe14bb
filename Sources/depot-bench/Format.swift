import Foundation

/// Number formats shared by the progress lines and the text report.
enum Format {
    static func seconds(_ duration: Duration) -> String {
        String(format: "%.2f s", duration.seconds)
    }

    static func rate(_ perSecond: Double) -> String {
        String(format: "%.1f", perSecond)
    }

    static func ms(_ milliseconds: Double) -> String {
        String(format: "%.1f", milliseconds)
    }

    static func mib(kib: Int) -> String {
        String(format: "%.1f MiB", Double(kib) / 1024)
    }

    static func bytes(_ count: Int) -> String {
        switch count {
        case ..<1024: "\(count) B"
        case ..<(1024 * 1024): String(format: "%.1f KiB", Double(count) / 1024)
        default: String(format: "%.1f MiB", Double(count) / 1024 / 1024)
        }
    }

    /// `text` padded to `width`; numbers align right, labels left.
    static func column(_ text: String, _ width: Int, right: Bool = true) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }
}
