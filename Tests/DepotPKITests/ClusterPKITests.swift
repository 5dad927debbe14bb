import DepotLink
import DepotPKI
import Foundation
import NIOSSL
import Testing

/// The CA helper's certificates must be what the controller's HTTPS and the satellite link accept.
@Suite struct ClusterPKITests {
    private func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("depot-pki-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func issuedCertificatesChainToTheCAAndCarryTheirNames() throws {
        let directory = try self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ca = try ClusterPKI.makeCA(commonName: "Depot cluster CA", days: 30)
        try PEMFiles.write(ca, base: directory + "/ca")
        let controller = try ClusterPKI.issue(commonName: "controller", names: ["127.0.0.1", "ctrl.example", "::1"], days: 30, signedBy: ca)
        try PEMFiles.write(controller, base: directory + "/controller")
        let satellite = try ClusterPKI.issue(commonName: "vulcan", names: [], days: 30, signedBy: ca)
        try PEMFiles.write(satellite, base: directory + "/vulcan")

        let permissions = try FileManager.default.attributesOfItem(atPath: directory + "/controller.key")[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        let certificate = try NIOSSLCertificate(file: directory + "/controller.crt", format: .pem)
        #expect(certificate.subjectName.first { $0.type == .commonName }?.value == "controller")
        let names = try #require(certificate._subjectAlternativeNames()).map { "\($0)" }
        #expect(names.count == 3)

        // What the controller and a satellite load at start.
        _ = try RESTServerTLS.configuration(certificate: directory + "/controller.crt", key: directory + "/controller.key", clientCA: directory + "/ca.crt")
        _ = try LinkTLS(
            role: .satellite, files: LinkTLSFiles(certificate: directory + "/vulcan.crt", privateKey: directory + "/vulcan.key", certificateAuthority: directory + "/ca.crt"))
        _ = try LinkTLS(
            role: .controller,
            files: LinkTLSFiles(certificate: directory + "/controller.crt", privateKey: directory + "/controller.key", certificateAuthority: directory + "/ca.crt"))
    }

    @Test func filesAreNotOverwrittenAndForeignKeysAreRefused() throws {
        let directory = try self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ca = try ClusterPKI.makeCA(commonName: "CA", days: 30)
        try PEMFiles.write(ca, base: directory + "/ca")
        #expect(throws: PKIError.self) { try PEMFiles.write(ca, base: directory + "/ca") }
        let other = try ClusterPKI.makeCA(commonName: "other", days: 30)
        let mixed = ClusterPKI.Issued(certificatePEM: ca.certificatePEM, keyPEM: other.keyPEM)
        #expect(throws: PKIError.self) { try ClusterPKI.issue(commonName: "x", names: [], days: 1, signedBy: mixed) }
        let leaf = try ClusterPKI.issue(commonName: "leaf", names: [], days: 1, signedBy: ca)
        #expect(throws: PKIError.self) { try ClusterPKI.issue(commonName: "x", names: [], days: 1, signedBy: leaf) }
        #expect(throws: PKIError.self) { try ClusterPKI.issue(commonName: "x", names: ["bad name!"], days: 1, signedBy: ca) }
        #expect(!ClusterPKI.isValidName("node_1") && ClusterPKI.isValidName("::1") && ClusterPKI.isValidName("ctrl.example"))
        #expect(throws: LinkTLSError.self) {
            try PEMFiles.write(ClusterPKI.issue(commonName: "y", names: [], days: 1, signedBy: ca), base: directory + "/y")
            try PEMFiles.write(other, base: directory + "/z")
            _ = try RESTServerTLS.configuration(certificate: directory + "/y.crt", key: directory + "/z.key", clientCA: nil)
        }
    }
}
