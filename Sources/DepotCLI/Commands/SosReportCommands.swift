import DepotClient
import Foundation

/// `depot sos-report create|download` (`sos`): the controller's and nodes' state in one archive.
@MainActor
enum SosReportCommands {
    static func make() -> CommandSpec {
        CommandSpec(
            group: "sos-report",
            aliases: ["sos"],
            "SOS report subcommands",
            [
                CommandSpec(
                    "create",
                    aliases: ["c"],
                    "Create an SOS report on the controller (in the `sos-reports` directory next to its error reports).",
                    options: Self.options,
                    action: { invocation throws(CLIFailure) in
                        try await invocation.reply(try Self.request("/v1/sos-report", invocation))
                    }
                ),
                CommandSpec(
                    "download",
                    aliases: ["dl"],
                    "Create a sos report and downloads it",
                    options: Self.options,
                    positionals: [PositionalSpec("path", .optional, help: "Directory where to download the sos report")],
                    action: { invocation throws(CLIFailure) in
                        let response = try await invocation.session.send(try Self.request("/v1/sos-report/download", invocation))
                        guard response.status == 200 else {
                            return invocation.print(try invocation.replies(of: response, request: RESTRequest(.get, "/v1/sos-report/download")))
                        }
                        let formatter = DateFormatter()
                        formatter.locale = Locale(identifier: "en_US_POSIX")
                        formatter.dateFormat = "yyyy-MM-dd_HH-mm-ss"
                        let directory = invocation.arguments.string("path") ?? FileManager.default.currentDirectoryPath
                        let path = directory + "/sos_" + formatter.string(from: Date()) + ".tar.gz"
                        guard FileManager.default.createFile(atPath: path, contents: response.body) else {
                            throw CLIFailure.message("Cannot write \(path).\n", exitCode: ExitCode.unknownError)
                        }
                        invocation.console.out("\(path)\n")
                        return ExitCode.ok
                    }
                ),
            ]
        )
    }

    static let options = [
        OptionSpec(["-s", "--since"], .single, help: "Create an SOS report with logs since n days, for example, \"3days\""),
        OptionSpec(["-n", "--nodes"], .oneOrMore, help: "Only include the specified nodes in the SOS report"),
        OptionSpec(["-r", "--resources"], .oneOrMore, help: "Only include in the SOS report nodes that have the specified resources deployed."),
        OptionSpec(["-e", "--exclude-nodes"], .oneOrMore, help: "Do not include the specified nodes in the SOS report."),
        OptionSpec(["--no-controller"], help: "Do not include the controller in the sos-report"),
    ]

    /// The call with LINSTOR's query: `nodes`, `rscs`, `exclude`, `since` (milliseconds), `include-ctrl`.
    static func request(_ path: String, _ invocation: CommandInvocation) throws(CLIFailure) -> RESTRequest {
        var request = RESTRequest(.get, path)
        request.addQuery("nodes", invocation.arguments.strings("nodes"))
        request.addQuery("rscs", invocation.arguments.strings("resources"))
        request.addQuery("exclude", invocation.arguments.strings("exclude_nodes"))
        if let text = invocation.arguments.string("since") {
            guard let since = ReportTimes.span(text) else {
                throw CLIFailure.message("Unable to parse time string: '\(text)'. Format should be e.g.: '1d10h' or '3h'\n", exitCode: ExitCode.argumentError)
            }
            request.query.append((name: "since", value: String(ReportTimes.milliseconds(since))))
        }
        if invocation.arguments.flag("no_controller") { request.query.append((name: "include-ctrl", value: "false")) }
        return request
    }
}
