/// On PostgreSQL: how soon a standby controller serves after the active one dies without a word
/// (SIGKILL), with the lease the failover tests use. The figure an operator of several
/// controllers feels when a machine fails.
struct Takeover {
    /// The lease of both controllers: a standby may take over once it expired.
    static let leaseSeconds = 2

    let session: BenchSession
    let expectedResources: Int

    /// Starts an active controller and a standby on the session's database, kills the active one
    /// and times the standby until `GET /health` answers 200 and it lists every resource.
    func run() async throws -> BenchReport.Takeover {
        let lease = ["--lease-seconds", String(Self.leaseSeconds)]
        let active = try self.session.startAnotherController("active", extraArguments: lease)
        _ = try await active.waitUntilHealthy()
        let standby = try self.session.startAnotherController("standby", extraArguments: lease)
        try await Self.waitUntilStandingBy(standby)
        Progress.say("killing the active controller (PID \(active.pid)) with SIGKILL; PID \(standby.pid) stands by…")
        let killed = ContinuousClock.now
        active.killNow()
        let serving = try await Self.waitUntilServing(standby, since: killed)
        let listed = try await standby.listedResources()
        guard listed == self.expectedResources else {
            throw BenchError.wrongAnswer("After the takeover \(Workload.resourceListPath) listed \(listed) resources, expected \(self.expectedResources).")
        }
        _ = try await standby.stop()
        return BenchReport.Takeover(leaseSeconds: Self.leaseSeconds, killToHealthMs: serving.milliseconds, resourcesListed: listed)
    }

    /// A standby answers `/health` with 503 once it listens.
    private static func waitUntilStandingBy(_ controller: ControllerProcess) async throws {
        let client = HTTPClient(port: controller.port, label: "standby")
        while true {
            if let status = controller.exitStatus() { throw BenchError.controller("the standby exited (\(status))", log: controller.logTail()) }
            if let response = try? await client.send(.get("/health"), body: .discard), response.status == 503 { return }
            guard ContinuousClock.now - controller.spawnedAt < .seconds(30) else {
                throw BenchError.controller("did not stand by within 30 s", log: controller.logTail())
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    private static func waitUntilServing(_ controller: ControllerProcess, since killed: ContinuousClock.Instant) async throws -> Duration {
        let client = HTTPClient(port: controller.port, label: "takeover")
        while true {
            if let status = controller.exitStatus() { throw BenchError.controller("the standby exited (\(status))", log: controller.logTail()) }
            if let response = try? await client.send(.get("/health"), body: .discard), response.status == 200 { return ContinuousClock.now - killed }
            guard ContinuousClock.now - killed < .seconds(60) else {
                throw BenchError.controller("did not take over within 60 s of the active controller's death", log: controller.logTail())
            }
            try await Task.sleep(for: .milliseconds(1))
        }
    }
}
