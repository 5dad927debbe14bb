/// An address and port to listen on, written `ADDR:PORT`, `[V6]:PORT` or `:PORT` (all addresses).
///
/// Shared by both daemons' flags and TOML files, so that the controller's `--rest-bind` and the
/// satellite's `--bind` read the same way.
public struct BindAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// - Throws: ``Invalid`` naming the text and the expected forms.
    public init(parsing text: String) throws(Invalid) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw Invalid(description: "Invalid bind address '\(text)': expected ADDR:PORT, [IPv6]:PORT or :PORT.")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host.isEmpty ? "::" : host
        self.port = port
    }

    public var description: String { self.host.contains(":") ? "[\(self.host)]:\(self.port)" : "\(self.host):\(self.port)" }

    /// A bind address that cannot be read.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public let description: String
    }
}
