import Foundation

/// The node's REST token file, as LINSTOR's satellites keep `/var/lib/linstor.d/auth.json`.
///
/// Once the controller turned token authentication on, clients that run on a node (python-linstor,
/// `depot`, the Proxmox plugin) read their bearer token from this file: without it they could not
/// call the API at all. The controller sends each satellite a token of its own and a new one on
/// every reconnect; the file is replaced whole, readable by root only.
public struct RESTTokenFile: Sendable {
    /// Where python-linstor and LINSTOR's client look for the token.
    public static let defaultPath = "/var/lib/linstor.d/auth.json"

    public let path: String

    public init(path: String = Self.defaultPath) {
        self.path = path
    }

    /// Why the token could not be written.
    public struct WriteFailure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Writes `{"token": …}` to a temporary file (mode 0600) beside the target and renames it over
    /// the old one, so that a reader sees the old token or the new one, never a part.
    public func write(_ token: String) throws(WriteFailure) {
        let url = URL(fileURLWithPath: self.path)
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let document = try JSONSerialization.data(withJSONObject: ["token": token], options: [.sortedKeys])
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw WriteFailure(description: "cannot create \(temporary.path)")
            }
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try handle.write(contentsOf: document)
            try handle.synchronize()
            guard rename(temporary.path, self.path) == 0 else {
                throw WriteFailure(description: "cannot rename \(temporary.path) to \(self.path): \(String(cString: strerror(errno)))")
            }
        } catch let failure as WriteFailure {
            try? FileManager.default.removeItem(at: temporary)
            throw failure
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw WriteFailure(description: "cannot write \(self.path): \(error.localizedDescription)")
        }
    }
}
