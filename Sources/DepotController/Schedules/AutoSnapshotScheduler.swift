import DepotModel
import Logging
import ServiceLifecycle

/// Takes the scheduled snapshots (``AutoSnapshotSchedule``) and prunes the old ones, in the
/// controller, one definition at a time, through the same steps as a `snapshot create`.
struct AutoSnapshotScheduler: Service {
    let state: ClusterState
    let logger: Logger
    /// How often the schedule is looked at.
    var tick: Duration = .seconds(5)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var schedule = AutoSnapshotSchedule()
            while !Task.isCancelled {
                let model = self.state.publisher.snapshot.model
                for definition in schedule.due(in: model, now: .now) {
                    await self.takeSnapshot(of: definition)
                }
                try? await Task.sleep(for: self.tick)
            }
        }
    }

    private func takeSnapshot(of definition: ObjectKey) async {
        let model = self.state.publisher.snapshot.model
        // As LINSTOR: skipped while a node of the definition is offline (its I/O could not be held).
        let offline = model.resources(ofDefinition: definition).filter { self.state.satellites.status(of: $0.key.node) != .online }.map(\.nodeName)
        guard offline.isEmpty else {
            self.logger.warning("automatic snapshot skipped", metadata: ["resource": "\(definition)", "offline": "\(offline.sorted())"])
            return
        }
        let (key, replies) = await self.state.takeAutoSnapshot(of: definition)
        for reply in replies where reply.code.isError {
            self.logger.warning("automatic snapshot failed", metadata: ["resource": "\(definition)", "reason": "\(reply.message) \(reply.cause ?? "")"])
        }
        if let key { self.logger.info("automatic snapshot taken", metadata: ["resource": "\(definition)", "snapshot": "\(key.snapshot)"]) }
    }
}
