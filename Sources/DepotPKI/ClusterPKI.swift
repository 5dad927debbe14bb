import Crypto
public import Foundation
import SwiftASN1
import X509

/// A small cluster CA and the certificates Depot's daemons need, made in-process (swift-certificates,
/// EC P-256) so that no `openssl` command line has to be right on every node.
///
/// Every issued certificate serves as TLS server *and* client: the same file can be the controller's
/// HTTPS certificate and its satellite-link identity, or a satellite's link certificate.
public enum ClusterPKI {
    /// A certificate and its private key, both PEM.
    public struct Issued: Sendable {
        public let certificatePEM: String
        public let keyPEM: String

        public init(certificatePEM: String, keyPEM: String) {
            self.certificatePEM = certificatePEM
            self.keyPEM = keyPEM
        }
    }

    /// A self-signed CA that may sign leaf certificates only (path length 0).
    public static func makeCA(commonName: String, days: Int, now: Date = Date()) throws(PKIError) -> Issued {
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        do {
            let name = try DistinguishedName { CommonName(commonName) }
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: publicKey)
            }
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey, notValidBefore: now - 300,
                notValidAfter: now + TimeInterval(days) * 86_400, issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: extensions, issuerPrivateKey: Certificate.PrivateKey(key))
            return Issued(certificatePEM: try certificate.serializeAsPEM().pemString, keyPEM: key.pemRepresentation)
        } catch {
            throw PKIError("Cannot make the CA certificate: \(error)")
        }
    }

    /// A certificate for `commonName`, valid for the host names and IP addresses in `names` (its
    /// subject alternative names, which HTTPS clients check), signed by `ca`; or self-signed when
    /// `ca` is nil (the controller's `REST/AutoHTTPS` certificate).
    public static func issue(commonName: String, names: [String], days: Int, signedBy ca: Issued?, now: Date = Date()) throws(PKIError) -> Issued {
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let (issuerName, issuerKey, issuerPublicKey) = try Self.issuer(ca, selfSigned: (commonName, key))
        do {
            let subject = try DistinguishedName { CommonName(commonName) }
            let alternativeNames = try names.map { name throws(PKIError) -> GeneralName in try Self.generalName(name) }
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
                SubjectKeyIdentifier(hash: publicKey)
                AuthorityKeyIdentifier(keyIdentifier: SubjectKeyIdentifier(hash: issuerPublicKey).keyIdentifier)
                if !alternativeNames.isEmpty { SubjectAlternativeNames(alternativeNames) }
            }
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey, notValidBefore: now - 300,
                notValidAfter: now + TimeInterval(days) * 86_400, issuer: issuerName, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: extensions, issuerPrivateKey: issuerKey)
            return Issued(certificatePEM: try certificate.serializeAsPEM().pemString, keyPEM: key.pemRepresentation)
        } catch let error as PKIError {
            throw error
        } catch {
            throw PKIError("Cannot make the certificate for \(commonName): \(error)")
        }
    }

    /// The signing CA's name and key (checked to belong together), or the new key's own for a
    /// self-signed certificate.
    private static func issuer(
        _ ca: Issued?, selfSigned: (String, P256.Signing.PrivateKey)
    ) throws(PKIError) -> (DistinguishedName, Certificate.PrivateKey, Certificate.PublicKey) {
        guard let ca else {
            do {
                let name = try DistinguishedName { CommonName(selfSigned.0) }
                return (name, Certificate.PrivateKey(selfSigned.1), Certificate.PublicKey(selfSigned.1.publicKey))
            } catch {
                throw PKIError("Cannot make the name \(selfSigned.0): \(error)")
            }
        }
        let certificate: Certificate
        let key: Certificate.PrivateKey
        do {
            certificate = try Certificate(pemEncoded: ca.certificatePEM)
        } catch {
            throw PKIError("The CA certificate is not a PEM certificate: \(error)")
        }
        do {
            key = try Certificate.PrivateKey(pemEncoded: ca.keyPEM)
        } catch {
            throw PKIError("The CA key is not an unencrypted PEM private key: \(error)")
        }
        guard key.publicKey == certificate.publicKey else { throw PKIError("The CA key does not belong to the CA certificate.") }
        guard case .isCertificateAuthority? = try? certificate.extensions.basicConstraints else {
            throw PKIError("The CA certificate is not a CA (its basic constraints do not allow signing certificates).")
        }
        return (certificate.subject, key, certificate.publicKey)
    }

    /// Whether `text` can be a certificate name (an IP address or a host name).
    public static func isValidName(_ text: String) -> Bool {
        (try? Self.generalName(text)) != nil
    }

    /// An IP address literal becomes an IP address name, anything else a DNS name.
    static func generalName(_ text: String) throws(PKIError) -> GeneralName {
        if let bytes = IPAddressBytes.parse(text) { return .ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes))) }
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "*") }) else {
            throw PKIError("'\(text)' is neither an IP address nor a host name.")
        }
        return .dnsName(text)
    }
}

/// Why a CA or certificate could not be made or used; the message says what and why.
public struct PKIError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}
