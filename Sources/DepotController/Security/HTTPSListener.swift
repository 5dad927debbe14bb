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
    let bind: DepotLink.BindAddress
    let dataDirectory: String
    let state: ClusterState
    let redirect: HTTPSRedirectTarget
    let logger: Logger
    /// The HTTPS application for a TLS configuration; it calls back with its port once it listens.
    let makeApplication: @Sendable (TLSConfiguration, @escaping @Sendable (Int) async -> Void) throws -> any Service

    func run() async throws {
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
                            let tls = try self.autoTLS()
                            running.start {
                                do {
                                    try await self.serve(tls, certificate: "self-signed (REST/AutoHTTPS)")
                                } catch {
                                    self.logger.error("HTTPS stopped", metadata: ["reason": "\(error)"])
                                }
                            }
                        } catch {
                            self.logger.error("REST/AutoHTTPS is on but HTTPS cannot start", metadata: ["reason": "\(error)"])
                        }
                    } else if !wanted, running.isRunning {
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

    /// Serves until cancelled or shut down; the redirect points here only while it listens.
    private func serve(_ tls: TLSConfiguration, certificate: String) async throws {
        defer { self.redirect.set(nil) }
        let application = try self.makeApplication(tls) { port in
            self.redirect.set(port)
            self.logger.info(
                "serving LINSTOR REST API over HTTPS; plain HTTP redirects /v1 here",
                metadata: ["address": "\(self.bind.host)", "port": "\(port)", "certificate": "\(certificate)"])
        }
        try await application.run()
    }

    /// The self-signed certificate `REST/AutoHTTPS` serves with: made once and kept in the data
    /// directory, so clients that pinned it keep working across restarts.
    func autoTLS() throws -> TLSConfiguration {
        let base = (self.dataDirectory as NSString).appendingPathComponent("autohttps")
        if !FileManager.default.fileExists(atPath: base + ".crt") || !FileManager.default.fileExists(atPath: base + ".key") {
            let host = ProcessInfo.processInfo.hostName
            let names = Array(Set([host, "localhost", "127.0.0.1", "::1"])).sorted()
            try PEMFiles.write(ClusterPKI.issue(commonName: "depot-controller", names: names, days: 3650, signedBy: nil), base: base, replace: true)
            self.logger.info("made a self-signed HTTPS certificate for REST/AutoHTTPS", metadata: ["certificate": "\(base).crt"])
        }
        return try RESTServerTLS.configuration(certificate: base + ".crt", key: base + ".key", clientCA: nil)
    }
}

/// The AutoHTTPS server task, started and stopped as the property changes.
private final class RunningServer: Sendable {
    private let task = Mutex<Task<Void, any Error>?>(nil)

    var isRunning: Bool { self.task.withLock { $0 != nil } }

    func start(_ body: @escaping @Sendable () async throws -> Void) {
        self.task.withLock { $0 = Task { try await body() } }
    }

    func cancel() {
        self.task.withLock { $0 }?.cancel()
    }

    func stop() async {
        guard
            let task = self.task.withLock({ current in
                defer { current = nil }
                return current
            })
        else { return }
        task.cancel()
        _ = await task.result
    }
}
