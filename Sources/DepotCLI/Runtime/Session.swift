import DepotClient

/// What one `depot` process keeps between commands: options, the controller connection, the console.
///
/// In interactive mode the first connection is reused by every later command, as LINSTOR's client
/// does; a connection error ends the session.
@MainActor
final class Session {
    var globals: GlobalOptions
    let environment: [String: String]
    let config: ClientConfig
    let console = Console()
    var client: DepotClient?
    var isInteractive = false

    init(globals: GlobalOptions, environment: [String: String], config: ClientConfig) {
        self.globals = globals
        self.environment = environment
        self.config = config
    }

    var colors: Bool { !self.globals.noColor }
    var utf8: Bool { !self.globals.noUTF8 && Console.localeIsUTF8(self.environment) }

    /// The connected client, connecting on first use.
    ///
    /// - Throws: ``CLIFailure`` after printing one `Error:` line per controller tried (exit 20), or
    ///   the controller's refusal of this client's API version (exit 10).
    func connectedClient() async throws(CLIFailure) -> DepotClient {
        if let client = self.client { return client }
        let endpoints: [ControllerEndpoint]
        do {
            endpoints = try ControllerEndpoint.parseList(self.globals.controllerList(environment: self.environment))
        } catch {
            throw CLIFailure.message("Error: \(error.message)", exitCode: ExitCode.argumentError)
        }
        var password = self.globals.password
        if self.globals.user != nil, password == nil {
            password = Passphrase.read("Enter Linstor password:")
        }
        let options = ConnectionOptions(
            timeoutSeconds: Double(self.globals.timeoutSeconds),
            username: self.globals.user,
            password: password,
            allowInsecureAuth: self.globals.allowInsecureAuth,
            userAgent: "Depot/0.1 (API1.0.4): Client depot",
            bearerToken: try BearerTokenFile.read(self.globals.tokenFile),
            tlsFiles: self.globals.tlsFiles
        )
        do {
            let client = try await DepotClient.connect(to: endpoints, options: options)
            self.client = client
            if let warning = client.withheldToken { self.console.err(warning + "\n") }
            if self.globals.verbose, !self.isInteractive {
                self.console.out("Connected to \(client.endpoint)\n")
            }
            return client
        } catch {
            if let refusal = error.errors.last, refusal.code == .unsupportedServer {
                let printer = ReplyPrinter(colors: self.colors, warningsAreErrors: self.globals.warnAsError)
                self.console.out(printer.render(ApiCallReply(errorMessage: refusal.message)).text)
                throw CLIFailure.reported(ExitCode.apiError)
            }
            for failure in error.errors {
                self.console.err("Error: \(failure.message)\n")
            }
            let timedOut = error.errors.contains { $0.code == .timeout }
            throw CLIFailure.reported(
                timedOut && error.errors.count == 1 ? ExitCode.connectionTimeout : ExitCode.connectionError
            )
        }
    }

    /// Sends a request, or with `--curl` prints the equivalent `curl` command and stops the command.
    func send(_ request: RESTRequest) async throws(CLIFailure) -> RESTResponse {
        if self.globals.curl {
            self.console.out(self.curlCommand(request) + "\n")
            throw CLIFailure.reported(ExitCode.ok)
        }
        let client = try await self.connectedClient()
        do {
            return try await client.send(request)
        } catch {
            self.console.err("Error: \(error.message)\n")
            if error.code == .timeout {
                self.client = nil
                throw CLIFailure.reported(ExitCode.connectionTimeout)
            }
            throw CLIFailure.reported(ExitCode.connectionError)
        }
    }

    private func curlCommand(_ request: RESTRequest) -> String {
        let base =
            (try? ControllerEndpoint.parseList(self.globals.controllerList(environment: self.environment)).first)
            .flatMap { $0 }?.baseURL ?? "http://localhost:3370"
        var words = ["curl", "-X", request.method.rawValue]
        if let body = request.body {
            words += ["-H", "Content-Type: application/json", "-d", body.compactText()]
        }
        words.append(base + request.target)
        return words.map(Self.shellQuoted).joined(separator: " ")
    }

    private static func shellQuoted(_ word: String) -> String {
        let safe = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=@%+,".contains($0) }
        return safe && !word.isEmpty
            ? word
            : "'" + word.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\"'\"'") + "'"
    }
}
