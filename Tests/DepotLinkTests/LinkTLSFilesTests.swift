import DepotLink
import Testing

@Suite struct LinkTLSFilesTests {
    private let names = (certificate: "--tls-certificate", privateKey: "--tls-key", certificateAuthority: "--tls-ca")

    @Test func noSettingsMeansPlainTCP() throws {
        #expect(try LinkTLSFiles.combining(certificate: nil, privateKey: nil, certificateAuthority: nil, names: self.names) == nil)
    }

    @Test func allThreeSettingsMakeFiles() throws {
        let files = try LinkTLSFiles.combining(certificate: "c.pem", privateKey: "k.pem", certificateAuthority: "ca.pem", names: self.names)
        #expect(files == LinkTLSFiles(certificate: "c.pem", privateKey: "k.pem", certificateAuthority: "ca.pem"))
    }

    @Test func halfASettingNamesWhatIsMissing() {
        let error = #expect(throws: LinkTLSError.self) {
            try LinkTLSFiles.combining(certificate: "c.pem", privateKey: nil, certificateAuthority: "", names: self.names)
        }
        #expect(error?.code == .incompleteSettings)
        #expect(error?.message.contains("missing: --tls-key, --tls-ca") == true)
    }
}
