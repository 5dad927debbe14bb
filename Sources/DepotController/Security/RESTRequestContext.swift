import Hummingbird
import NIOCore

/// Hummingbird's basic context plus the client's address, which a token's IP filter is checked
/// against.
struct RESTRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The peer of the connection; nil when the channel has none (in-process tests).
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}
