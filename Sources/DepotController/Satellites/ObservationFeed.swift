import ServiceLifecycle

/// Carries satellite reports into the cluster state, so lists show what nodes really have.
///
/// A separate service: the link tasks never wait for the state actor, and reports that arrive while
/// it is busy queue in the stream.
struct ObservationFeed: Service {
    let links: SatelliteLinks
    let state: ClusterState

    func run() async throws {
        await cancelWhenGracefulShutdown {
            for await received in self.links.reports {
                if let report = received.report {
                    await self.state.record(report, from: received.node)
                } else {
                    await self.state.forget(received.node)
                }
            }
        }
    }
}
