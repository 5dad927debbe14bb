public import DepotLink
public import Foundation
public import Testing

/// A throwaway CA and certificates made with `openssl` in a temporary directory.
///
/// Generated at test time rather than committed, so that no fixture ever expires and no private key
/// lives in the repository.
public struct TestPKI: ~Copyable {
    public let directory: URL

    public static var hasOpenSSL: Bool {
        ["/usr/bin/openssl", "/usr/local/bin/openssl", "/bin/openssl"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }

    public init() throws {
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("depot-link-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: self.directory)
    }

    public func path(_ name: String) -> String { self.directory.appendingPathComponent(name).path }

    /// Makes `<name>.crt` and `<name>.key`, a self-signed CA.
    public func makeCA(_ name: String) throws {
        try self.openssl(
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", self.path("\(name).key"),
            "-out", self.path("\(name).crt"), "-days", "2", "-subj", "/CN=\(name)",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    }

    /// Makes `<name>.crt` and `<name>.key`, signed by the CA `ca`, usable as TLS server and client.
    public func makeCertificate(_ name: String, signedBy ca: String) throws {
        let extensions = self.path("\(name).ext")
        try Data("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\n".utf8)
            .write(to: URL(fileURLWithPath: extensions))
        try self.openssl(
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", self.path("\(name).key"),
            "-out", self.path("\(name).csr"), "-subj", "/CN=\(name)")
        try self.openssl(
            "x509", "-req", "-in", self.path("\(name).csr"), "-CA", self.path("\(ca).crt"), "-CAkey", self.path("\(ca).key"),
            "-CAcreateserial", "-out", self.path("\(name).crt"), "-days", "2", "-extfile", extensions)
    }

    /// The files of certificate `name` trusting CA `ca`.
    public func files(_ name: String, trusting ca: String) -> LinkTLSFiles {
        LinkTLSFiles(certificate: self.path("\(name).crt"), privateKey: self.path("\(name).key"), certificateAuthority: self.path("\(ca).crt"))
    }

    public func write(_ text: String, to name: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: self.path(name)))
    }

    public func openssl(_ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "openssl \(arguments.joined(separator: " ")) failed")
    }
}

extension Trait where Self == ConditionTrait {
    /// Skips, saying so, unless `openssl` is installed to make test certificates.
    public static var requiresOpenSSL: Self {
        .enabled(if: TestPKI.hasOpenSSL, "needs openssl to make test certificates")
    }
}
