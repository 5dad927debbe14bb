import DepotLink
import DepotTestSupport
import DepotWire
import Foundation
import NIOCore
import Testing

@Suite(.requiresOpenSSL, .timeLimit(.minutes(1)))
struct LinkTLSTests {
    @Test func loadsMatchingFilesForBothRoles() throws {
        let pki = try TestPKI()
        try pki.makeCA("ca")
        try pki.makeCertificate("vulcan", signedBy: "ca")
        let satellite = try LinkTLS(role: .satellite, files: pki.files("vulcan", trusting: "ca"))
        #expect(satellite.commonName == "vulcan")
        _ = try LinkTLS(role: .controller, files: pki.files("vulcan", trusting: "ca"))
    }

    @Test func missingFileIsNamed() throws {
        let pki = try TestPKI()
        try pki.makeCA("ca")
        try pki.makeCertificate("vulcan", signedBy: "ca")
        var files = pki.files("vulcan", trusting: "ca")
        files.privateKey = pki.path("nope.key")
        let error = #expect(throws: LinkTLSError.self) { try LinkTLS(role: .satellite, files: files) }
        #expect(error?.code == .missingFile)
        #expect(error?.message.contains(pki.path("nope.key")) == true)
    }

    @Test func directoryIsUnreadable() throws {
        let pki = try TestPKI()
        try pki.makeCA("ca")
        try pki.makeCertificate("vulcan", signedBy: "ca")
        var files = pki.files("vulcan", trusting: "ca")
        files.certificateAuthority = pki.directory.path
        let error = #expect(throws: LinkTLSError.self) { try LinkTLS(role: .controller, files: files) }
        #expect(error?.code == .unreadableFile)
    }

    @Test func notPEMIsInvalid() throws {
        let pki = try TestPKI()
        try pki.makeCA("ca")
        try pki.makeCertificate("vulcan", signedBy: "ca")
        try pki.write("not a certificate\n", to: "garbage.pem")
        var files = pki.files("vulcan", trusting: "ca")
        files.certificate = pki.path("garbage.pem")
        let certificateError = #expect(throws: LinkTLSError.self) { try LinkTLS(role: .satellite, files: files) }
        #expect(certificateError?.code == .invalidPEM)
        #expect(certificateError?.message.contains("garbage.pem holds no readable PEM certificate") == true)

        files = pki.files("vulcan", trusting: "ca")
        files.privateKey = pki.path("vulcan.crt")
        let keyError = #expect(throws: LinkTLSError.self) { try LinkTLS(role: .satellite, files: files) }
        #expect(keyError?.code == .invalidPEM)
        #expect(keyError?.message.contains("holds no readable PEM private key") == true)
    }

    @Test func encryptedKeyIsRefusedWithTheFix() throws {
        let pki = try TestPKI()
        try pki.makeCA("ca")
        try pki.makeCertificate("vulcan", signedBy: "ca")
        try pki.openssl("pkey", "-in", pki.path("vulcan.key"), "-aes256", "-passout", "pass:secret", "-out", pki.path("locked.key"))
        var files = pki.files("vulcan", trusting: "ca")
        files.privateKey = pki.path("locked.key")
        let error = #expect(throws: LinkTLSError.self) { try LinkTLS(role: .satellite, files: files) }
        #expect(error?.code == .encryptedKey)
        #expect(error?.message.contains("openssl pkey") == true)
    }

    @Test func keyOfAnotherCertificateIsAMismatch() throws {
        let pki = try TestPKI()
        try pki.makeCA("ca")
        try pki.makeCertificate("vulcan", signedBy: "ca")
        try pki.makeCertificate("kronos", signedBy: "ca")
        var files = pki.files("vulcan", trusting: "ca")
        files.privateKey = pki.path("kronos.key")
        let error = #expect(throws: LinkTLSError.self) { try LinkTLS(role: .controller, files: files) }
        #expect(error?.code == .keyMismatch)
    }

    @Test func sameCAExchangesFrames() async throws {
        let pki = try TestPKI()
        try pki.makeCA("ca")
        try pki.makeCertificate("vulcan", signedBy: "ca")
        try pki.makeCertificate("controller", signedBy: "ca")
        let outcome = try await Self.exchange(
            satellite: LinkTLS(role: .satellite, files: pki.files("vulcan", trusting: "ca")),
            controller: LinkTLS(role: .controller, files: pki.files("controller", trusting: "ca")))
        #expect(outcome.client == nil)
        #expect(outcome.server == nil)
    }

    @Test func controllerFromAnotherCAIsRejectedByBothSides() async throws {
        let pki = try TestPKI()
        try pki.makeCA("ca")
        try pki.makeCA("other")
        try pki.makeCertificate("vulcan", signedBy: "ca")
        try pki.makeCertificate("controller", signedBy: "other")
        let outcome = try await Self.exchange(
            satellite: LinkTLS(role: .satellite, files: pki.files("vulcan", trusting: "ca")),
            controller: LinkTLS(role: .controller, files: pki.files("controller", trusting: "ca")))
        #expect(outcome.client?.code == .certificateRejected)
        #expect(outcome.client?.message.contains("satellite 127.0.0.1:") == true)
        #expect(outcome.server?.code == .certificateRejected)
        #expect(outcome.server?.message.contains("controller 127.0.0.1:") == true)
    }

    @Test func satelliteFromAnotherCAIsNotTrusted() async throws {
        let pki = try TestPKI()
        try pki.makeCA("ca")
        try pki.makeCA("other")
        try pki.makeCertificate("vulcan", signedBy: "other")
        try pki.makeCertificate("controller", signedBy: "ca")
        let outcome = try await Self.exchange(
            satellite: LinkTLS(role: .satellite, files: pki.files("vulcan", trusting: "ca")),
            controller: LinkTLS(role: .controller, files: pki.files("controller", trusting: "ca")))
        #expect(outcome.client?.code == .certificateRejected)
        #expect(outcome.client?.message.contains("its certificate is not trusted") == true)
    }

    /// Serves one connection on 127.0.0.1 (answering a ping with a pong) and dials it; returns the
    /// TLS error each side saw, `nil` where the exchange worked.
    private static func exchange(satellite: LinkTLS, controller: LinkTLS) async throws -> (client: LinkTLSError?, server: LinkTLSError?) {
        let server = try await Link.listen(host: "127.0.0.1", port: 0, tls: satellite)
        let port = try #require(server.channel.localAddress?.port)
        return try await withThrowingTaskGroup(of: LinkTLSError?.self) { group in
            group.addTask {
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        do {
                            try await connection.executeThenClose { inbound, outbound in
                                for try await frame in inbound {
                                    if case .ping(let token) = try SatelliteMessage(frame: frame) { try await outbound.send(.pong(token)) }
                                }
                            }
                            return nil
                        } catch let error as LinkTLSError {
                            return error
                        }
                    }
                    return nil
                }
            }
            var clientError: LinkTLSError?
            do {
                let channel = try await Link.connect(host: "127.0.0.1", port: port, tls: controller)
                try await channel.executeThenClose { inbound, outbound in
                    var frames = inbound.makeAsyncIterator()
                    do {
                        try await outbound.send(.ping(7))
                    } catch {
                        // A rejected handshake may close the channel before the write; the reason is inbound.
                        _ = try await frames.next()
                        throw error
                    }
                    guard let frame = try await frames.next(), case .pong(7) = try SatelliteMessage(frame: frame) else {
                        throw LinkError.unexpected("expected pong 7")
                    }
                }
            } catch let error as LinkTLSError {
                clientError = error
            }
            // The server's one connection ends once the client has closed its side.
            let serverError = try await group.next() ?? nil
            return (clientError, serverError)
        }
    }
}
