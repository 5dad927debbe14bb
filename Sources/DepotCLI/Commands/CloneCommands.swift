import DepotClient
import Foundation

/// `resource-definition clone` and `wait-sync` (linstor-client `rsc_dfn_cmds.py`): both start
/// something the controller finishes later and follow it once a second.
@MainActor
enum CloneCommands {
    static func clone() -> CommandSpec {
        CommandSpec(
            "clone",
            "Clones a resource definition with all its resources and data.",
            options: [
                OptionSpec(["-e", "--external-name"], .single, help: "User specified name"),
                OptionSpec(["--no-wait"], help: "Do not wait until the clone is complete"),
                OptionSpec(["--wait-timeout"], .single, help: "Seconds to wait for the clone (default: forever)"),
                OptionSpec(["--use-zfs-clone"], help: "Use ZFS clones (Depot restores from a snapshot in every provider)"),
                OptionSpec(["-l", "--layer-list"], .single, help: "Comma separated layer list; a clone keeps its source's layers"),
                OptionSpec(["--resource-group", "--rsc-grp"], .single, help: "Resource group of the clone"),
            ],
            positionals: [
                PositionalSpec("source_resource", help: "Source resource definition name"),
                PositionalSpec("clone_name", .optional, help: "Name of the clone"),
            ],
            action: Self.runClone
        )
    }

    static func waitSync() -> CommandSpec {
        CommandSpec(
            "wait-sync",
            aliases: ["ws"],
            "Waits until every diskful replica of the resource is UpToDate.",
            options: [OptionSpec(["--wait-timeout"], .single, help: "Seconds to wait (default: forever)")],
            positionals: [PositionalSpec("resource_name", help: "Resource name")],
            action: { invocation throws(CLIFailure) in
                let name = invocation.arguments.required("resource_name")
                let deadline = try Self.deadline(invocation.arguments)
                while true {
                    let status = try await invocation.fetch(.syncStatus(name))
                    if status["synced_on_all"]?.boolValue == true { return ExitCode.ok }
                    try await Self.pause(until: deadline, "\(name) resource didn't get ready in time.")
                }
            }
        )
    }

    private static func runClone(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        let arguments = invocation.arguments
        let source = arguments.required("source_resource")
        var body: [(String, JSONValue)] = []
        if let external = arguments.string("external_name") {
            body.append(("external_name", .string(external)))
        } else if let name = arguments.string("clone_name") {
            body.append(("name", .string(name)))
        } else {
            throw CLIFailure.usage("resource-definition clone: either a clone name or --external-name is required")
        }
        if arguments.flag("use_zfs_clone") { body.append(("use_zfs_clone", .bool(true))) }
        if let layers = arguments.string("layer_list") {
            body.append(("layer_list", .strings(layers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })))
        }
        if let group = arguments.string("resource_group") { body.append(("resource_group", .string(group))) }
        let request = RESTRequest.cloneResourceDefinition(source, .makeObject(body))
        let response = try await invocation.session.send(request)
        guard let started = try? response.json(), let clone = started["clone_name"]?.stringValue else {
            return invocation.print(try invocation.replies(of: response, request: request))
        }
        let messages = (started["messages"]?.arrayValue ?? []).map(ApiCallReply.init(raw:))
        let code = invocation.print(messages)
        guard !messages.contains(where: \.isError), !arguments.flag("no_wait") else { return code }
        if !invocation.globals.machineReadable { invocation.console.out("Waiting for cloning to complete...\n") }
        let deadline = try Self.deadline(arguments)
        while true {
            let status = try await invocation.fetch(.cloneStatus(source, clone))["status"]?.stringValue ?? ""
            switch status {
            case "COMPLETE":
                if !invocation.globals.machineReadable {
                    invocation.console.out(TerminalColor.green.wrap("Completed", enabled: invocation.session.colors) + " cloning \(clone).\n")
                }
                return ExitCode.ok
            case "FAILED":
                invocation.console.out(
                    TerminalColor.red.wrap("Failed", enabled: invocation.session.colors) + " cloning \(clone), please check resource status or satellite errors.\n")
                return ExitCode.apiError
            case "CLONING":
                try await Self.pause(until: deadline, "\(clone) resource didn't finish clone in time.")
            default:
                throw CLIFailure.message("Unknown clone status \(status)", exitCode: ExitCode.unknownError)
            }
        }
    }

    private static func deadline(_ arguments: ParsedArguments) throws(CLIFailure) -> ContinuousClock.Instant? {
        guard let text = arguments.string("wait_timeout") else { return nil }
        guard let seconds = Double(text), seconds >= 0 else { throw CLIFailure.usage("argument --wait-timeout: invalid int value: '\(text)'") }
        return .now + .milliseconds(Int64(seconds * 1000))
    }

    /// One second between polls, as linstor-client waits; past the deadline LINSTOR's timeout error.
    private static func pause(until deadline: ContinuousClock.Instant?, _ message: String) async throws(CLIFailure) {
        if let deadline, ContinuousClock.now >= deadline { throw CLIFailure.message(message, exitCode: ExitCode.unknownError) }
        try? await Task.sleep(for: .seconds(1))
    }
}
