import DepotModel
import ServiceLifecycle

/// Carries satellite reports into the cluster state, so lists show what nodes really have.
///
/// A separate service: the link tasks never wait for the state actor, and reports that arrive while
/// it is busy queue in the stream.
///
/// A node's first report after its link came up also gets the node its REST token
/// (``SatelliteTokens``), beside the feed so that reports keep flowing meanwhile.
struct ObservationFeed: Service {
    let links: SatelliteLinks
    let state: ClusterState

    func run() async throws {
        let tokens = SatelliteTokens(state: self.state)
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                var reporting: Set<ObjectKey> = []
                for await received in self.links.reports {
                    if let report = received.report {
                        await self.state.record(report, from: received.node)
                        if reporting.insert(received.node).inserted {
                            group.addTask { _ = await tokens.deliver(to: received.node) }
                        }
                    } else {
                        reporting.remove(received.node)
                        await self.state.forget(received.node)
                    }
                }
            }
        }
    }
}
