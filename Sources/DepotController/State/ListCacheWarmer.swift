import ServiceLifecycle

/// Fills the list cache right after start, then stays until shutdown (a service that returned
/// would stop the whole group).
struct ListCacheWarmer: Service {
    let state: ClusterState

    func run() async throws {
        await self.state.warmUp()
        try await gracefulShutdown()
    }
}
