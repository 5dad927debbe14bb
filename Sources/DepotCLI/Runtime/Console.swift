import Foundation

/// Standard output and error, written unbuffered so that output and prompts interleave correctly.
struct Console {
    func out(_ text: String) {
        guard !text.isEmpty else { return }
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    func err(_ text: String) {
        guard !text.isEmpty else { return }
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Whether standard output is a terminal (LINSTOR then draws UTF-8 frames).
    static var stdoutIsTerminal: Bool { isatty(1) == 1 }

    /// Python's `locale.getdefaultlocale()` encoding test: the first of `LC_ALL`, `LC_CTYPE`, `LANG`
    /// that is set names a UTF-8 codeset.
    static func localeIsUTF8(_ environment: [String: String]) -> Bool {
        for name in ["LC_ALL", "LC_CTYPE", "LANG", "LANGUAGE"] {
            if let value = environment[name], !value.isEmpty {
                let lowered = value.lowercased()
                return lowered.contains("utf-8") || lowered.contains("utf8")
            }
        }
        return false
    }
}
