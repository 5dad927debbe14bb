import DepotClient
import DepotModel

/// `depot controller …` (`c`) and `depot error-reports …` (`err`).
@MainActor
enum ControllerCommands {
    static func make() -> CommandSpec {
        CommandSpec(
            group: "controller",
            aliases: ["c"],
            "Controller subcommands",
            [
                LogLevelCommands.controller(),
                CommandSpec(
                    "version",
                    aliases: ["v"],
                    "Prints the LINSTOR controller version.",
                    action: { invocation throws(CLIFailure) in
                        let version = try await invocation.fetch(.controllerVersion)
                        if invocation.globals.machineReadable {
                            invocation.console.out(version.pythonInlineText() + "\n")
                        } else {
                            invocation.console.out(
                                "linstor controller \(version.text("version")); GIT-hash: \(version.text("git_hash"))\n"
                            )
                        }
                        return ExitCode.ok
                    }
                ),
                DRBDOptionCommands.command(
                    "drbd-options", aliases: ["opt"], "Set DRBD options for the whole cluster (every resource unless a group, definition or resource says otherwise).",
                    sections: DRBDOptionCommands.all, positionals: [], request: { _, body throws(CLIFailure) in .modifyControllerProperties(body) }),
                CommandSpec(
                    "list-properties",
                    aliases: ["lp"],
                    "Print current controller config properties.",
                    options: [CommonOptions.pastable],
                    action: { invocation throws(CLIFailure) in
                        invocation.printProperties(try await invocation.fetch(.controllerProperties))
                    }
                ),
                CommandSpec(
                    "set-property",
                    aliases: ["sp"],
                    "Set a controller config property.",
                    options: [CommonOptions.aux],
                    positionals: CommonOptions.keyValue(.controller),
                    action: { invocation throws(CLIFailure) in
                        try await invocation.reply(.modifyControllerProperties(invocation.propertyChangeBody()))
                    }
                ),
                CommandSpec(
                    "backupdb",
                    aliases: ["bakdb"],
                    "Create a backup of the controller database.",
                    positionals: [PositionalSpec("backup_name", help: "Base name of the backup")],
                    action: { invocation throws(CLIFailure) in
                        try await invocation.reply(.backupDatabase(invocation.arguments.required("backup_name")))
                    }
                ),
                CommandSpec(
                    "which",
                    "Shows which controller the client is connected to.",
                    action: { invocation throws(CLIFailure) in
                        let client = try await invocation.session.connectedClient()
                        if invocation.globals.machineReadable {
                            invocation.console.out(
                                JSONValue.makeObject([("controller_uri", .string(client.endpoint.description))])
                                    .pythonInlineText() + "\n"
                            )
                        } else {
                            invocation.console.out(client.endpoint.description + "\n")
                        }
                        return ExitCode.ok
                    }
                ),
            ]
        )
    }

    static func errorReports() -> CommandSpec {
        CommandSpec(
            group: "error-reports",
            aliases: ["err"],
            "Error report subcommands",
            [
                CommandSpec(
                    "list",
                    aliases: ["l"],
                    "List error reports.",
                    options: [
                        CommonOptions.pastable,
                        OptionSpec(["-s", "--since"], .single, help: "Show errors since n days. e.g. '3days'"),
                        OptionSpec(["-t", "--to"], .single, help: "Show errors to specified date. Format YYYY-MM-DD."),
                        CommonOptions.nodesFilter,
                        OptionSpec(
                            ["-r", "--report-id"],
                            .oneOrMore,
                            help: "Restrict to id's that begin with the given ones."
                        ),
                        OptionSpec(["-f", "--full"], help: "Show all info, like location and version."),
                    ],
                    action: { invocation throws(CLIFailure) in
                        let full = invocation.arguments.flag("full")
                        let reports = try await Self.fetchReports(invocation, withContent: false)
                        if invocation.globals.machineReadable {
                            invocation.console.out(
                                Self.machineReadable(reports, outputVersion: invocation.globals.outputVersion)
                            )
                            return ExitCode.ok
                        }
                        invocation.console.out(Self.table(reports, table: invocation.makeTable(), full: full))
                        return ExitCode.ok
                    }
                ),
                CommandSpec(
                    "show",
                    aliases: ["s"],
                    "Output content of an error report.",
                    positionals: [PositionalSpec("report_id", .oneOrMore, help: "Id of the error report")],
                    action: { invocation throws(CLIFailure) in
                        let reports = try await Self.fetchReports(invocation, withContent: true)
                        if invocation.globals.machineReadable {
                            invocation.console.out(
                                Self.machineReadable(reports, outputVersion: invocation.globals.outputVersion)
                            )
                            return ExitCode.ok
                        }
                        for report in reports.arrayValue { invocation.console.out(report.text("text") + "\n") }
                        return ExitCode.ok
                    }
                ),
                CommandSpec(
                    "delete",
                    aliases: ["d"],
                    "Delete one or more error reports.",
                    options: [
                        OptionSpec(["--nodes"], .oneOrMore, help: "Only delete error reports from the given nodes"),
                        OptionSpec(
                            ["--since"],
                            .single,
                            help: "Datetime since when to delete error reports. Date format: '2020-08-30 13:40:00' or '5d6h'"
                        ),
                        OptionSpec(
                            ["--to"],
                            .single,
                            help: "Datetime until to delete error reports. Date format: '2020-08-30 13:40:00' or '5d6h'"
                        ),
                        OptionSpec(["--exception"], .single, help: "Only delete error reports matching the exception"),
                    ],
                    positionals: [PositionalSpec("id", .zeroOrMore, help: "Delete error reports matching the given ids")],
                    action: { invocation throws(CLIFailure) in
                        var body: [(String, JSONValue)] = []
                        if let since = try Self.deletionTime(invocation.arguments.string("since"), name: "since") {
                            body.append(("since", .integer(since)))
                        }
                        if let to = try Self.deletionTime(invocation.arguments.string("to"), name: "to") {
                            body.append(("to", .integer(to)))
                        }
                        if let nodes = invocation.arguments.strings("nodes") { body.append(("nodes", .array(nodes.map(JSONValue.string)))) }
                        if let exception = invocation.arguments.string("exception") { body.append(("exception", .string(exception))) }
                        if let ids = invocation.arguments.strings("id"), !ids.isEmpty { body.append(("ids", .array(ids.map(JSONValue.string)))) }
                        return try await invocation.reply(.deleteErrorReports(JSONValue.makeObject(body)))
                    }
                ),
            ]
        )
    }

    /// `--since`/`--to` of `delete`: a span (`5d6h`) or a local date and time, partly given.
    private static func deletionTime(_ text: String?, name: String) throws(CLIFailure) -> Int64? {
        guard let text else { return nil }
        if let date = ReportTimes.span(text) ?? ReportTimes.localDate(text) { return ReportTimes.milliseconds(date) }
        throw CLIFailure.message("Unable to parse '\(name)' date: '\(text)'. Format should be e.g.: '5d6h' or '2020-08-30 13:40:00'", exitCode: ExitCode.argumentError)
    }

    private static func fetchReports(
        _ invocation: CommandInvocation,
        withContent: Bool
    ) async throws(CLIFailure) -> JSONValue {
        let ids = invocation.arguments.strings("report_id") ?? []
        var since: Int64?
        if let text = invocation.arguments.string("since") {
            guard let date = ReportTimes.span(text) else {
                throw CLIFailure.message(
                    "Unable to parse time string: '\(text)'. Format should be e.g.: '1d10h' or '3h'", exitCode: ExitCode.argumentError)
            }
            since = ReportTimes.milliseconds(date)
        }
        var to: Int64?
        if let text = invocation.arguments.string("to") {
            guard text.count == 10, let date = ReportTimes.localDate(text) else {
                throw CLIFailure.message("Unable to parse '--to' date: '\(text)'. Format should be YYYY-MM-DD", exitCode: ExitCode.argumentError)
            }
            to = ReportTimes.milliseconds(date)
        }
        guard !ids.isEmpty else {
            // One request per node, as linstor-client sends them.
            guard let nodes = invocation.arguments.strings("nodes"), !nodes.isEmpty else {
                return try await invocation.fetch(.errorReports(withContent: withContent, since: since, to: to))
            }
            var reports: [JSONValue] = []
            for node in nodes {
                reports += try await invocation.fetch(.errorReports(nodes: [node], withContent: withContent, since: since, to: to)).arrayValue
            }
            return .array(reports)
        }
        var reports: [JSONValue] = []
        for id in ids {
            let answer = try await invocation.fetch(.errorReports(ids: [id], withContent: withContent, since: since, to: to))
            if let first = answer.arrayValue.first { reports.append(first) }
        }
        return .array(reports)
    }

    /// `err l -m` / `err s -m`: the reports as one flat list (linstor-client prints each ErrorReport
    /// response), in v0 with `node_name` renamed to `node_names`.
    static func machineReadable(_ reports: JSONValue, outputVersion: String) -> String {
        let shown =
            outputVersion == "v0" ? JSONValue.array(reports.arrayValue.map(OutputVersion0.errorReport)) : reports
        return shown.pythonIndentedText() + "\n"
    }

    static func table(_ reports: JSONValue, table: TextTable, full: Bool) -> String {
        var table = table
        for header in ["Id", "Datetime", "Node", "Exception"] { table.addColumn(header) }
        if full {
            table.addColumn("Location")
            table.addColumn("Version")
        }
        for report in reports.arrayValue {
            let file = report.text("filename")
            let id =
                file.hasPrefix("ErrorReport-") && file.hasSuffix(".log") ? String(file.dropFirst(12).dropLast(4)) : file
            let message = report.text("exception_message")
            let shortMessage = message.count < 60 ? message : String(message.prefix(57)) + "..."
            let module = report.text("module")
            var row = [
                TextTable.Cell(id),
                TextTable.Cell(report["error_time"]?.int64Value.map { LocalTime.format(milliseconds: $0) } ?? ""),
                TextTable.Cell((module.isEmpty ? "" : String(module.prefix(1)) + "|") + report.text("node_name")),
                TextTable.Cell(report.text("exception") + (shortMessage.isEmpty ? "" : ": " + shortMessage)),
            ]
            if full {
                let origin = report.text("origin_file")
                let line = report["origin_line"]?.displayText ?? "None"
                row += [
                    TextTable.Cell(origin.isEmpty ? "" : "\(origin):\(line)"), TextTable.Cell(report.text("version")),
                ]
            }
            table.addRow(row)
        }
        return table.render()
    }
}
