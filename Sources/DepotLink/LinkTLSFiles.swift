/// Where one side of a satellite link keeps its TLS identity and the CA it trusts, as PEM files.
///
/// Both sides use the same three files: a certificate (optionally followed by intermediate CA
/// certificates), its unencrypted private key, and the cluster CA that must have signed the other
/// side's certificate. This is LINSTOR's `server_certificate` / `trusted_certificates` pair,
/// expressed as PEM instead of Java keystores.
public struct LinkTLSFiles: Sendable, Hashable {
    /// PEM certificate chain that this side presents: its own certificate first.
    public var certificate: String
    /// PEM private key of ``certificate`` (PKCS#8, PKCS#1 or SEC1; not passphrase-protected).
    public var privateKey: String
    /// PEM file of the CA certificate(s) that the other side's certificate must chain to.
    public var certificateAuthority: String

    public init(certificate: String, privateKey: String, certificateAuthority: String) {
        self.certificate = certificate
        self.privateKey = privateKey
        self.certificateAuthority = certificateAuthority
    }

    /// Combines three optional settings: `nil` when none is set, the files when all are.
    ///
    /// Half a TLS configuration is a mistake worth stopping for, not a reason to fall back to
    /// plain TCP silently, so some-but-not-all is an error naming the missing settings.
    ///
    /// - Parameters:
    ///   - names: how the operator spells the three settings (flags and TOML keys), in the order
    ///     certificate, private key, CA.
    /// - Throws: ``LinkTLSError`` with code ``LinkTLSError/Code/incompleteSettings``.
    public static func combining(
        certificate: String?,
        privateKey: String?,
        certificateAuthority: String?,
        names: (certificate: String, privateKey: String, certificateAuthority: String)
    ) throws(LinkTLSError) -> LinkTLSFiles? {
        let given = [(certificate, names.certificate), (privateKey, names.privateKey), (certificateAuthority, names.certificateAuthority)]
        let missing = given.filter { $0.0 == nil || $0.0?.isEmpty == true }.map(\.1)
        if missing.count == given.count { return nil }
        guard let certificate, let privateKey, let certificateAuthority, missing.isEmpty else {
            throw LinkTLSError(
                .incompleteSettings,
                "TLS needs all three of \(names.certificate), \(names.privateKey) and \(names.certificateAuthority); "
                    + "missing: \(missing.joined(separator: ", ")).")
        }
        return LinkTLSFiles(certificate: certificate, privateKey: privateKey, certificateAuthority: certificateAuthority)
    }
}
