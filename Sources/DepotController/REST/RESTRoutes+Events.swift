import DepotModel
import DepotWire
import Foundation
import HTTPTypes
import HashTreeCollections
import Hummingbird
import ServiceLifecycle

extension RESTRoutes {
    /// Server-Sent Events: LINSTOR's node and DRBD promotion streams, and Depot's stream of replica changes.
    func registerEvents(on router: Router<Context>) {
        router.get("/v1/events/nodes") { _, _ in
            self.eventStream { event in
                guard case .node(let name, let old, let new) = event else { return nil }
                if name == "node-modified", let old, let new {
                    return (name, try Self.json(["old_node": self.nodeDTO(old), "new_node": self.nodeDTO(new)]))
                }
                guard let node = new ?? old else { return nil }
                return (name, try Self.json(["node": self.nodeDTO(node)]))
            }
        }
        router.get("/v1/events/drbd/promotion") { request, _ in
            // `Last-Event-ID: current` asks for every DRBD replica's state first, as LINSTOR sends it.
            let initial = request.headers.first { $0.name.canonicalName == "last-event-id" }?.value == "current" ? self.currentPromotions() : []
            return self.eventStream(initial: initial) { event in
                guard case .mayPromote(let node, let resource, let mayPromote) = event else { return nil }
                return ("may-promote-change", try Self.json(MayPromoteEventDTO(nodeName: node, resourceName: resource, mayPromote: mayPromote)))
            }
        }
        router.get("/v1/events/resources") { _, _ in
            self.eventStream { event in
                switch event {
                case .resource(_, let json): ("resource-state", json)
                case .resourceDeleted(let node, let resource): ("resource-delete", try Self.json(["node_name": node, "name": resource]))
                default: nil
                }
            }
        }
    }

    /// Each replica's last reported `may_promote`, as `may-promote-change` events.
    private func currentPromotions() -> [ClusterEvent] {
        let snapshot = self.snapshot
        return snapshot.order.resourceKeys.compactMap { key in
            guard let resource = snapshot.model.resources[key], resource.layerStack.contains(.drbd),
                let json = snapshot.resourceFragment(key),
                let entry = try? JSONDecoder().decode(ResourceDTO.self, from: json)
            else { return nil }
            return .mayPromote(node: resource.nodeName, resource: resource.resourceName, mayPromote: entry.layerObject?.drbd?.mayPromote)
        }
    }

    /// An SSE response that sends what `render` makes of each event (events it returns `nil` for are
    /// not this stream's) until the client goes or the controller shuts down; a comment every
    /// ``eventHeartbeat`` finds clients that went away silently.
    private func eventStream(
        initial: [ClusterEvent] = [], _ render: @escaping @Sendable (ClusterEvent) throws -> (name: String, data: Data)?
    ) -> Response {
        let (events, feed) = self.state.events.subscribe()
        for event in initial { feed.yield(event) }
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        let body = ResponseBody { writer in
            defer { feed.finish() }
            // A shutting-down controller ends its streams so that the server can stop.
            try await withGracefulShutdownHandler {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        while !Task.isCancelled {
                            try await Task.sleep(for: Self.eventHeartbeat)
                            feed.yield(.heartbeat)
                        }
                    }
                    defer { group.cancelAll() }
                    // The client sees the stream is open before the first event happens.
                    try await writer.write(ByteBuffer(string: ": depot events\n\n"))
                    for await event in events {
                        if case .heartbeat = event {
                            try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                        } else if let (name, data) = try render(event) {
                            try await writer.write(ByteBuffer(string: "event: \(name)\ndata: \(String(decoding: data, as: UTF8.self))\n\n"))
                        }
                    }
                }
            } onGracefulShutdown: {
                feed.finish()
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    static let eventHeartbeat: Duration = .seconds(15)

    private static func json<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}

/// `may-promote-change`: LINSTOR's `EventMayPromoteChange`.
struct MayPromoteEventDTO: Encodable {
    var nodeName: String
    var resourceName: String
    var mayPromote: Bool?

    enum CodingKeys: String, CodingKey {
        case nodeName = "node_name"
        case resourceName = "resource_name"
        case mayPromote = "may_promote"
    }
}
