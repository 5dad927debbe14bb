import DepotLink
import DepotPKI
import DepotReports
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import DepotController

/// `[https]` as LINSTOR's section, with PEM files: what is accepted, and what is refused with the fix.
@Suite struct HTTPSConfigTests {
    private func load(_ toml: String) throws -> ControllerConfig {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("depot-https-\(UUID().uuidString).toml").path
        try toml.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try ControllerConfig.load(tomlFile: path)
    }

    @Test func readsTheSectionAndServesOnTheRESTHostByDefault() throws {
        let config = try self.load(
            """
            rest_bind = "127.0.0.1:3370"
            [https]
            certificate = "/etc/depot/tls/controller.crt"
            key = "/etc/depot/tls/controller.key"
            ca = "/etc/depot/tls/ca.crt"
            """)
        #expect(config.https.certificate == "/etc/depot/tls/controller.crt")
        #expect(config.https.certificateAuthority == "/etc/depot/tls/ca.crt")
        #expect(config.httpsBind.host == "127.0.0.1" && config.httpsBind.port == 3371)
        let moved = try self.load("[https]\nlisten_addr = \"::1\"\nport = 13371\nenabled = false\n")
        #expect(moved.httpsBind.host == "::1" && moved.httpsBind.port == 13371 && !moved.https.enabled)
        #expect(try moved.restTLS() == nil)
    }

    @Test func keystoresAndHalfSettingsAreRefusedWithTheFix() throws {
        #expect {
            try self.load("[https]\nkeystore = \"/etc/linstor/keystore.jks\"\n")
        } throws: { "\($0)".contains("Depot reads PEM files") }
        #expect(throws: ConfigError.self) { try self.load("[https]\ncertifcate = \"x\"\n") }
        var config = ControllerConfig()
        config.https.certificate = "/nonexistent/controller.crt"
        #expect { try config.restTLS() } throws: { "\($0)".contains("only one was given") }
        config.https.key = "/nonexistent/controller.key"
        #expect { try config.restTLS() } throws: { "\($0)".contains("/nonexistent/controller.crt does not exist") }
    }

    @Test func autoHTTPSMakesItsCertificateOnceAndKeepsIt() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("depot-autohttps-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let listener = HTTPSListener(
            configured: nil, bind: DepotLink.BindAddress(host: "127.0.0.1", port: 0), dataDirectory: directory, state: try await makeState(),
            redirect: HTTPSRedirectTarget(), logger: Logger(label: "test")
        ) { _, _ in throw ConfigError("not started in this test") }
        _ = try listener.autoTLS()
        let first = try PEMFiles.read(base: directory + "/autohttps")
        _ = try listener.autoTLS()
        #expect(try PEMFiles.read(base: directory + "/autohttps").certificatePEM == first.certificatePEM)
        let permissions = try FileManager.default.attributesOfItem(atPath: directory + "/autohttps.key")[.posixPermissions] as? Int
        #expect(permissions == 0o600)
    }

    /// With configured certificates, plain HTTP is not ready until HTTPS listens: a caller that
    /// waited for `/health` must find HTTPS up, and no API call goes unencrypted in the meantime.
    @Test func plainHTTPWaitsForConfiguredHTTPSThenRedirects() async throws {
        let redirect = HTTPSRedirectTarget(configured: true)
        let controller = DepotController(config: ControllerConfig(), logger: Logger(label: "test"), logLevel: RuntimeLogLevel(.info))
        try await controller.makeApplication(state: try await makeState(), redirect: redirect) { _ in }.test(.router) { client in
            for path in ["/health", "/v1/nodes"] {
                let starting = try await client.execute(uri: path, method: .get)
                #expect(starting.status == .serviceUnavailable)
                #expect(starting.headers[.retryAfter] == "1")
            }
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .ok)
            redirect.set(3371)
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            let moved = try await client.execute(uri: "/v1/nodes", method: .get)
            #expect(moved.status == .found)
            #expect(moved.headers[.location] == "https://localhost:3371/v1/nodes")
        }
    }
}
