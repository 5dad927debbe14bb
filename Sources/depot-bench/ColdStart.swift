/// Restarts the controller on the full data directory and times how soon it serves again: the
/// figure users feel after an upgrade or a crash.
struct ColdStart {
    struct Result {
        let report: BenchReport.ColdStart
        let memoryAtReady: MemoryUsage
        let memoryAfterFirstList: MemoryUsage
    }

    let session: BenchSession
    let expectedResources: Int

    /// Stops the running controller, starts another on the same data, and stops that one too.
    func run() async throws -> Result {
        Progress.say("stopping the controller with SIGTERM…")
        let shutdown = try await self.session.stopController()
        if shutdown.status != .exited(0) {
            Progress.say("warning: the controller ended with \(shutdown.status) after SIGTERM")
        }
        let controller = try self.session.startController()
        Progress.say("restarted as PID \(controller.pid) on 127.0.0.1:\(controller.port) with the full data directory…")
        let ready = try await controller.waitUntilHealthy()
        let memoryAtReady = try MemoryUsage(pid: controller.pid)
        let firstList = try await self.firstFullList(controller)
        let memoryAfterFirstList = try MemoryUsage(pid: controller.pid)
        let listed = try await controller.listedResources()
        guard listed == self.expectedResources else {
            throw BenchError.wrongAnswer(
                "After a restart \(Workload.resourceListPath) listed \(listed) resources, expected \(self.expectedResources): data was lost or not loaded.")
        }
        _ = try await self.session.stopController()
        let report = BenchReport.ColdStart(
            shutdownMs: shutdown.elapsed.milliseconds, shutdownStatus: shutdown.status.description,
            execToHealthMs: ready.milliseconds, execToFirstFullListMs: firstList.milliseconds, resourcesListed: listed)
        return Result(report: report, memoryAtReady: memoryAtReady, memoryAfterFirstList: memoryAfterFirstList)
    }

    /// Time from exec to the end of the first full resource list answered with 200. Its body is
    /// only counted, as in the sequential samples; ``ControllerProcess/listedResources()`` checks it afterwards.
    private func firstFullList(_ controller: ControllerProcess) async throws -> Duration {
        let client = HTTPClient(port: controller.port, label: "cold-start")
        let request = HTTPRequest.get(Workload.resourceListPath)
        while true {
            let response = try await client.send(request, body: .discard)
            if response.status == 200 { return ContinuousClock.now - controller.spawnedAt }
            guard ContinuousClock.now - controller.spawnedAt < .seconds(60) else {
                throw BenchError.rejected(request, response, reason: "The restarted controller did not list its resources within 60 s.")
            }
            try await Task.sleep(for: .milliseconds(1))
        }
    }
}
