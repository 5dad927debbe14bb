import DepotClient
import Foundation

/// One command being run: its parsed words and the session, with the reply handling every command
/// shares (ApiCallRc printing, `-m` JSON, exit codes).
@MainActor
struct CommandInvocation {
    let session: Session
    var arguments: ParsedArguments
    /// The canonical command words, e.g. `["resource", "create"]`.
    let path: [String]

    var console: Console { self.session.console }
    var globals: GlobalOptions { self.session.globals }

    /// A table configured from the global options and this command's `-p/--pastable`.
    func makeTable() -> TextTable {
        TextTable(colors: self.session.colors, utf8: self.session.utf8, pastable: self.arguments.flag("pastable"))
    }

    var printer: ReplyPrinter {
        ReplyPrinter(colors: self.session.colors, warningsAreErrors: self.globals.warnAsError)
    }

    /// Sends a mutating request and prints the controller's replies.
    func reply(_ request: RESTRequest) async throws(CLIFailure) -> Int32 {
        try await self.reply([request])
    }

    /// Sends several requests (one per node or name) and prints all their replies together.
    func reply(_ requests: [RESTRequest]) async throws(CLIFailure) -> Int32 {
        var replies: [ApiCallReply] = []
        for request in requests {
            replies += try self.replies(of: try await self.session.send(request), request: request)
        }
        return self.print(replies)
    }

    /// Prints replies (or their JSON with `-m`) and returns the exit code.
    func print(_ replies: [ApiCallReply]) -> Int32 {
        if self.globals.machineReadable {
            let shown = replies.map { self.globals.outputVersion == "v0" ? OutputVersion0.reply($0.raw) : $0.raw }
            self.console.out(JSONValue.array(shown).pythonIndentedText() + "\n")
            return ExitCode.ok
        }
        let rendered = self.printer.render(replies)
        self.console.out(rendered.text)
        return rendered.exitCode
    }

    /// The ApiCallRc entries of an answer; an answer without them is an error of its own.
    func replies(of response: RESTResponse, request: RESTRequest) throws(CLIFailure) -> [ApiCallReply] {
        if let replies = response.apiCallReplies() { return replies }
        if (200..<300).contains(response.status), response.body.isEmpty || (try? response.json()) == .array([]) {
            return []
        }
        throw self.unexpected(response, request: request)
    }

    /// Fetches a list and renders it, or prints its JSON with `-m`: the raw list (`[[…]]`) with
    /// `--output-version v1`, the list's v0 object (`[{"nodes": […]}]`, see ``ListShape``) with v0.
    ///
    /// An ApiCallRc answer (an error) is printed as replies instead.
    func list(
        _ request: RESTRequest,
        shape: ListShape,
        render: (JSONValue) throws(CLIFailure) -> String
    ) async throws(CLIFailure) -> Int32 {
        if let path = self.arguments.string("from_file") {
            let value = try Self.load(path)
            let text = self.globals.machineReadable ? self.machineReadable(value, shape: shape) : try render(value)
            self.console.out(text)
            return ExitCode.ok
        }
        let response = try await self.session.send(request)
        if response.status >= 400 || response.apiCallReplies()?.contains(where: \.isError) == true {
            return self.print(try self.replies(of: response, request: request))
        }
        let value: JSONValue
        do {
            value = try response.json()
        } catch {
            throw self.unexpected(response, request: request)
        }
        if self.globals.machineReadable {
            self.console.out(self.machineReadable(value, shape: shape))
            return ExitCode.ok
        }
        self.console.out(try render(value))
        if shape == .nodes || shape == .resources { await self.warnAboutQuarantine() }
        return ExitCode.ok
    }

    /// Names the stored objects the controller left out at start, after a node or resource table:
    /// an administrator looking for them learns where they went and how to repair them. A
    /// controller without the call (LINSTOR's) answers 404, which says nothing.
    private func warnAboutQuarantine() async {
        guard let response = try? await self.session.send(.controllerQuarantine), response.status == 200,
            let rows = try? response.json().arrayValue, !rows.isEmpty
        else { return }
        var text = "WARNING: the controller left out \(rows.count) stored object(s) at start; their nodes keep them untouched:\n"
        for row in rows {
            let key = (row["key"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: "/")
            text += "  \(row["table"]?.stringValue ?? "?") '\(key)': \(row["reason"]?.stringValue ?? "")\n"
        }
        text += "Stop the controller and run `depot-controller check --repair` to move them into the quarantine.\n"
        self.console.err(text)
    }

    /// The `-m` text of a list in the selected output version (linstor-client
    /// `Commands._print_machine_readable`: `json.dumps([response.data_vN], indent=2)`).
    func machineReadable(_ list: JSONValue, shape: ListShape) -> String {
        shape.machineReadable(list, outputVersion: self.globals.outputVersion)
    }

    /// Fetches a list, or reads it from `--from-file`.
    func fetchList(_ request: RESTRequest) async throws(CLIFailure) -> JSONValue {
        if let path = self.arguments.string("from_file") { return try Self.load(path) }
        return try await self.fetch(request)
    }

    /// Saved `-m` JSON: either the raw list or LINSTOR's `[[…]]` wrapping of it.
    static func load(_ path: String) throws(CLIFailure) -> JSONValue {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIFailure.message("Error: cannot read '\(path)'", exitCode: ExitCode.argumentError)
        }
        do {
            let value = try JSONValue.parse(data)
            if case .array(let outer) = value, outer.count == 1, case .array = outer[0] { return outer[0] }
            return value
        } catch {
            throw CLIFailure.message("Error: \(path): \(error)", exitCode: ExitCode.argumentError)
        }
    }

    /// Fetches JSON without printing it (for commands that combine several reads).
    func fetch(_ request: RESTRequest) async throws(CLIFailure) -> JSONValue {
        let response = try await self.session.send(request)
        if response.status >= 400 {
            _ = self.print(try self.replies(of: response, request: request))
            throw CLIFailure.reported(ExitCode.apiError)
        }
        do {
            return try response.json()
        } catch {
            throw self.unexpected(response, request: request)
        }
    }

    /// LINSTOR's texts for answers that are neither data nor ApiCallRc lists.
    func unexpected(_ response: RESTResponse, request: RESTRequest) -> CLIFailure {
        if response.body.isEmpty {
            return CLIFailure.message(
                "Error: REST api call method '\(request.method.rawValue)' to resource '\(request.path)' returned status "
                    + "\(response.status) with no data.",
                exitCode: ExitCode.unknownError
            )
        }
        let text = String(decoding: response.body.prefix(500), as: UTF8.self)
        return CLIFailure.message("Error: HTTP-Status(\(response.status))/\(text)", exitCode: ExitCode.unknownError)
    }

    /// Values from a list section of the config file (`[node.list]`), merged into the arguments:
    /// lists are appended, scalars override.
    mutating func mergeConfig(section: String) {
        guard !self.globals.disableConfig else { return }
        for entry in self.session.config.sections[section] ?? [] {
            let dest = entry.key.replacingDashes()
            guard let value = try? JSONValue.parse(entry.value) else { continue }
            switch value {
            case .array(let elements):
                let strings = elements.compactMap(\.stringValue)
                self.arguments.values[dest] = .list((self.arguments.strings(dest) ?? []) + strings)
            case .bool(let flag):
                self.arguments.values[dest] = flag ? .flag : nil
            case .string(let text):
                self.arguments.values[dest] = .single(text)
            case .integer(let number):
                self.arguments.values[dest] = .single(String(number))
            default:
                continue
            }
        }
    }
}
