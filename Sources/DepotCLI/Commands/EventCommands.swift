import DepotClient
import Foundation

/// `depot events …` and `resource list --watch`: the controller's Server-Sent Events, followed.
@MainActor
enum EventCommands {
    /// The streams by the names `depot events` takes.
    static let streams = ["nodes": "/v1/events/nodes", "promotion": "/v1/events/drbd/promotion", "resources": "/v1/events/resources"]

    static func make() -> CommandSpec {
        CommandSpec(
            "events",
            "Follow the controller's events (Depot): nodes, DRBD promotion or resources, one line per event.",
            options: [OptionSpec(["--current"], help: "For promotion: every replica's current state first.")],
            positionals: [PositionalSpec("stream", metavar: "{nodes,promotion,resources}")],
            action: { invocation throws(CLIFailure) in
                let name = invocation.arguments.required("stream")
                guard let path = Self.streams[name] else {
                    throw CLIFailure.usage("argument stream: invalid choice: '\(name)' (choose from 'nodes', 'promotion', 'resources')")
                }
                let client = try await invocation.session.connectedClient()
                let console = invocation.console
                let current = invocation.arguments.flag("current")
                do {
                    try await client.follow(path, lastEventID: current ? "current" : nil) { event in
                        await console.out("\(event.name) \(event.data)\n")
                    }
                } catch {
                    throw CLIFailure.message("The event stream ended: \(error)\n", exitCode: ExitCode.connectionError)
                }
                return ExitCode.ok
            }
        )
    }

    /// Runs `list` now and again after every change to a replica, until interrupted.
    static func watch(_ invocation: CommandInvocation, list: @escaping @MainActor (CommandInvocation) async throws(CLIFailure) -> Int32) async throws(CLIFailure) -> Int32 {
        let first = try await list(invocation)
        let client = try await invocation.session.connectedClient()
        let changes = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await client.follow(Self.streams["resources"] ?? "") { _ in changes.continuation.yield() }
                    changes.continuation.finish()
                }
                // Changes that come while a list prints are shown by the next one.
                for await _ in changes.stream {
                    invocation.console.out("\n")
                    _ = try await list(invocation)
                }
                try await group.next()
            }
        } catch let failure as CLIFailure {
            throw failure
        } catch {
            throw CLIFailure.message("The event stream ended: \(error)\n", exitCode: ExitCode.connectionError)
        }
        return first
    }
}
