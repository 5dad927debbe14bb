import DepotLink
import DepotPKI
import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOSSL
import ServiceLifecycle
import Synchronization

/// The REST API over HTTPS (3371), beside plain HTTP.
///
/// With `[https]` PEM files it serves for the controller's whole life. Without them it follows the
/// controller property `REST/AutoHTTPS` (which `initialize-token-auth` sets) as LINSTOR does: on,
/// it serves with a self-signed certificate kept in the data directory; off, it stops. While it
/// serves, plain HTTP redirects `/v1` calls to it (``HTTPSRedirect``).
struct HTTPSListener: Service {
    /// TLS from the configured files; nil leaves HTTPS to `REST/AutoHTTPS`.
    let configured: TLSConfiguration?
    /// `[https] enabled`: false keeps HTTPS off, `REST/AutoHTTPS` included.
    var enabled = true
    let bind: DepotLink.BindAddress
    let dataDirectory: String
    let state: ClusterState
    let redirect: HTTPSRedirectTarget
    let logger: Logger
    /// The HTTPS application for a TLS configuration; it calls back with its port once it listens.
    let makeApplication: @Sendable (TLSConfiguration, @escaping @Sendable (Int) async -> Void) throws -> any Service

    func run() async throws {
        guard self.enabled else {
            // Returning would end the controller's service group: wait for shutdown instead.
            try? await gracefulShutdown()
            return
        }
        if let configured {
            try await self.serve(configured, certificate: "configured")
            return
        }
        let running = RunningServer()
        try await withTaskCancellationHandler {
            try await cancelWhenGracefulShutdown {
                var version: UInt64 = 0
                while !Task.isCancelled {
                    let snapshot = self.state.publisher.snapshot
                    version = snapshot.version
                    let wanted = snapshot.model.controllerProps[ClusterTransaction.autoHTTPSKey]?.lowercased() == "true"
                    if wanted, !running.isRunning {
                        do {
                            let application = try self.application(self.autoTLS(), certificate: "self-signed (REST/AutoHTTPS)")
                            running.start(ServiceGroup(configuration: .init(services: [application], logger: self.logger))) { error in
                                self.redirect.set(nil)
                                if let error { self.logger.error("HTTPS stopped", metadata: ["reason": "\(error)"]) }
                            }
                        } catch {
                            self.logger.error("REST/AutoHTTPS is on but HTTPS cannot start", metadata: ["reason": "\(error)"])
                        }
                    } else if !wanted, running.isRunning {
                        // Plain HTTP serves again first; requests in flight on HTTPS still finish
                        // (the one that turned AutoHTTPS off among them).
                        self.redirect.set(nil)
                        await running.stop()
                        self.logger.info("HTTPS stopped: REST/AutoHTTPS is off")
                    }
                    await self.state.publisher.waitForChange(after: version)
                }
            }
        } onCancel: {
            running.cancel()
        }
        await running.stop()
    }

    /// Serves until shut down; the redirect points here only while it listens.
    private func serve(_ tls: TLSConfiguration, certificate: String) async throws {
        defer { self.redirect.set(nil) }
        try await self.application(tls, certificate: certificate).run()
    }

    /// The HTTPS application, which points the redirect at itself once it listens.
    private func application(_ tls: TLSConfiguration, certificate: String) throws -> any Service {
        try self.makeApplication(tls) { port in
            self.redirect.set(port)
            self.logger.info(
                "serving LINSTOR REST API over HTTPS; plain HTTP redirects /v1 here",
                metadata: ["address": "\(self.bind.host)", "port": "\(port)", "certificate": "\(certificate)"])
        }
    }

    /// The self-signed certificate `REST/AutoHTTPS` serves with: made once and kept in the data
    /// directory, so clients that pinned it keep working across restarts.
    func autoTLS() throws -> TLSConfiguration {
        let base = (self.dataDirectory as NSString).appendingPathComponent("autohttps")
        if !FileManager.default.fileExists(atPath: base + ".crt") || !FileManager.default.fileExists(atPath: base + ".key") {
            let host = ProcessInfo.processInfo.hostName
            // A host name a certificate cannot carry (an underscore, say) is left out, not fatal.
            let names = Array(Set([host, "localhost", "127.0.0.1", "::1"])).filter(ClusterPKI.isValidName).sorted()
            try PEMFiles.write(ClusterPKI.issue(commonName: "depot-controller", names: names, days: 3650, signedBy: nil), base: base, replace: true)
            self.logger.info("made a self-signed HTTPS certificate for REST/AutoHTTPS", metadata: ["certificate": "\(base).crt"])
        }
        return try RESTServerTLS.configuration(certificate: base + ".crt", key: base + ".key", clientCA: nil)
    }
}

/// The AutoHTTPS server, started and stopped as the property changes; stopping is graceful, so
/// requests in flight are answered.
private final class RunningServer: Sendable {
    private struct Running {
        let group: ServiceGroup
        let task: Task<Void, Never>
    }

    private let running = Mutex<Running?>(nil)

    var isRunning: Bool { self.running.withLock { $0 != nil } }

    /// Runs `group` until ``stop()``; `ended` is told how it ended (nil: shut down cleanly).
    func start(_ group: ServiceGroup, ended: @escaping @Sendable ((any Error)?) -> Void) {
        let task = Task {
            do {
                try await group.run()
                ended(nil)
            } catch {
                ended(error)
            }
        }
        self.running.withLock { $0 = Running(group: group, task: task) }
    }

    func cancel() {
        self.running.withLock { $0 }?.task.cancel()
    }

    func stop() async {
        let taken = self.running.withLock { current in
            defer { current = nil }
            return current
        }
        guard let running = taken else { return }
        await running.group.triggerGracefulShutdown()
        await running.task.value
    }
}
