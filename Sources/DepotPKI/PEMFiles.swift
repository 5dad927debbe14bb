public import Foundation

/// Writing and reading the PEM files of ``ClusterPKI``: private keys are created readable by their
/// owner only, and nothing existing is overwritten unless asked.
public enum PEMFiles {
    /// Writes `issued` as `<base>.crt` and `<base>.key` (mode 0600).
    ///
    /// - Throws: ``PKIError`` when a file exists and `replace` is false, or cannot be written.
    public static func write(_ issued: ClusterPKI.Issued, base: String, replace: Bool = false) throws(PKIError) {
        let certificate = base + ".crt"
        let key = base + ".key"
        if !replace {
            for path in [certificate, key] where FileManager.default.fileExists(atPath: path) {
                throw PKIError("\(path) already exists; remove it first (or choose another name).")
            }
        }
        try Self.write(issued.keyPEM, to: key, mode: 0o600)
        try Self.write(issued.certificatePEM, to: certificate, mode: 0o644)
    }

    /// The certificate and key written by ``write(_:base:replace:)``.
    public static func read(base: String) throws(PKIError) -> ClusterPKI.Issued {
        ClusterPKI.Issued(certificatePEM: try Self.read(base + ".crt"), keyPEM: try Self.read(base + ".key"))
    }

    static func read(_ path: String) throws(PKIError) -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw PKIError("Cannot read \(path): \(error.localizedDescription)")
        }
    }

    /// Creates the file with `mode` before any byte is written, so a key is never readable by others.
    static func write(_ text: String, to path: String, mode: Int) throws(PKIError) {
        let manager = FileManager.default
        try? manager.removeItem(atPath: path)
        guard manager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: mode]),
            let handle = FileHandle(forWritingAtPath: path)
        else {
            throw PKIError("Cannot create \(path).")
        }
        do {
            try handle.write(contentsOf: Data(text.utf8))
            try handle.close()
        } catch {
            throw PKIError("Cannot write \(path): \(error.localizedDescription)")
        }
    }
}
