import Foundation

/// Writes the satellite's state files (ledgers in its state directory) whole or not at all.
enum StateFile {
    /// Replaces the file at `path` with `data`: written beside it, flushed to disk, renamed into place.
    static func replace(_ path: String, with data: Data) {
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data),
            let handle = FileHandle(forWritingAtPath: temporary)
        else { return }
        try? handle.synchronize()
        try? handle.close()
        _ = rename(temporary, path)
    }
}
