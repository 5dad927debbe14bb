import DepotClient

/// The options that come before the command word (`depot -m --controllers h node list`).
struct GlobalOptions {
    var noColor = false
    var noUTF8: Bool
    var warnAsError = false
    var curl = false
    var controllers: String?
    var machineReadable = false
    var outputVersion: String
    var verbose = false
    var timeoutSeconds = 300
    var disableConfig = false
    var user: String?
    var password: String?
    var allowInsecureAuth = false
    var showVersion = false
    var tlsFiles = TLSFiles()
    /// Where the REST bearer token is read from (`{"token": "…"}`, LINSTOR's `auth.json`).
    var tokenFile: String?

    /// The `-m` formats (`--output-version`): v1, the REST JSON as it came, is the default.
    static let outputVersions = ["v0", "v1"]

    /// The option table; `--help` is handled by the parser.
    static let options: [OptionSpec] = [
        OptionSpec(["--version", "-v"], help: "show program's version number and exit"),
        OptionSpec(["--no-color"], help: "Do not use colors in output. Useful for old terminals/scripting."),
        OptionSpec(["--no-utf8"], help: "Do not use utf-8 characters in output (i.e., tables)."),
        OptionSpec(["--warn-as-error"], help: "Treat WARN return code as error (i.e., return code > 0)."),
        OptionSpec(["--curl"], help: "Do not execute the action, only output a curl equivalent command."),
        OptionSpec(
            ["--controllers"],
            .single,
            help: "Comma separated list of controllers (e.g.: \"host1:port,host2:port\"). If the environment "
                + "variable LS_CONTROLLERS is set, the ones set via this argument get appended."
        ),
        OptionSpec(["-m", "--machine-readable"], help: "JSON output, as the REST API returns it."),
        OptionSpec(
            ["--output-version"],
            .single,
            help: "Machine readable output format, default 'v1'. Can also be set via "
                + "environment variable 'LS_OUTPUT_VERSION'",
            choices: Self.outputVersions
        ),
        OptionSpec(["--verbose", "-V"], help: "Print the controller the client connected to."),
        OptionSpec(["-t", "--timeout"], .single, help: "Connection/Command timeout value in seconds."),
        OptionSpec(["--disable-config"], help: "Disable config loading and only use commandline arguments."),
        OptionSpec(["--user", "-u"], .single, help: "Linstor username to use"),
        OptionSpec(["--password", "-P"], .single, help: "Linstor user password"),
        OptionSpec(["--certfile"], .single, help: "SSL certificate file"),
        OptionSpec(["--keyfile"], .single, help: "SSL key file"),
        OptionSpec(["--cafile"], .single, help: "SSL CA certificate file"),
        OptionSpec(["--allow-insecure-auth"], help: "Allow password authentication with HTTP"),
        OptionSpec(
            ["--token-file"], .single,
            help: "JSON file {\"token\": \"...\"} with a REST bearer token (default \(Self.defaultTokenFile) when it exists)"),
    ]

    /// Where LINSTOR 1.34 writes a node's token and python-linstor reads it.
    static let defaultTokenFile = "/var/lib/linstor.d/auth.json"

    init(stdoutIsTerminal: Bool, environment: [String: String]) {
        self.noUTF8 = !stdoutIsTerminal
        let fromEnvironment = environment["LS_OUTPUT_VERSION"] ?? ""
        self.outputVersion = fromEnvironment.isEmpty ? "v1" : fromEnvironment
    }

    /// Applies parsed global options over the defaults.
    mutating func apply(_ parsed: ParsedArguments) throws(CLIFailure) {
        if parsed.flag("version") { self.showVersion = true }
        if parsed.flag("no_color") { self.noColor = true }
        if parsed.flag("no_utf8") { self.noUTF8 = true }
        if parsed.flag("warn_as_error") { self.warnAsError = true }
        if parsed.flag("curl") { self.curl = true }
        if let controllers = parsed.string("controllers") { self.controllers = controllers }
        if parsed.flag("machine_readable") { self.machineReadable = true }
        if let version = parsed.string("output_version") { self.outputVersion = version }
        if parsed.flag("verbose") { self.verbose = true }
        if let timeout = try parsed.integer("timeout", option: "-t/--timeout") { self.timeoutSeconds = timeout }
        if parsed.flag("disable_config") { self.disableConfig = true }
        if let user = parsed.string("user") { self.user = user }
        if let password = parsed.string("password") { self.password = password }
        if parsed.flag("allow_insecure_auth") { self.allowInsecureAuth = true }
        // `--output-version` is checked by the parser (exit 2). LINSTOR's client takes an
        // `LS_OUTPUT_VERSION` default unchecked and then prints `null` for every `-m` output; depot
        // refuses such a value the same way as the option, and only when `-m` would use it.
        if self.machineReadable, !Self.outputVersions.contains(self.outputVersion) {
            throw CLIFailure.usage(
                "LS_OUTPUT_VERSION: invalid choice: '\(self.outputVersion)' (choose from "
                    + Self.outputVersions.map { "'\($0)'" }.joined(separator: ", ") + ")"
            )
        }
        if let file = parsed.string("certfile") { self.tlsFiles.certificate = file }
        if let file = parsed.string("keyfile") { self.tlsFiles.key = file }
        if let file = parsed.string("cafile") { self.tlsFiles.certificateAuthority = file }
        if let file = parsed.string("token_file") { self.tokenFile = file }
    }

    /// Splits the words into global options and the command with its own words.
    static func split(_ words: [String]) -> (global: [String], command: [String]) {
        var index = 0
        while index < words.count, words[index].hasPrefix("-"), words[index] != "-" {
            let word = words[index]
            index += 1
            guard !word.contains("="), let option = Self.match(word) else { continue }
            if option.arity == .single, index < words.count { index += 1 }
        }
        return (Array(words[..<index]), Array(words[index...]))
    }

    private static func match(_ word: String) -> OptionSpec? {
        if let exact = Self.options.first(where: { $0.names.contains(word) }) { return exact }
        if word.hasPrefix("--") {
            let candidates = Self.options.filter { option in option.names.contains { $0.hasPrefix(word) } }
            return candidates.count == 1 ? candidates[0] : nil
        }
        return Self.options.first { $0.names.contains(String(word.prefix(2))) && word.count == 2 }
    }

    /// The controllers to try, in order (LINSTOR: `--controllers` first, then `LS_CONTROLLERS`).
    func controllerList(environment: [String: String]) -> String {
        var lists: [String] = []
        if let controllers = self.controllers, controllers != "localhost:3370" { lists.append(controllers) }
        if let fromEnvironment = environment["LS_CONTROLLERS"], !fromEnvironment.isEmpty {
            lists.append(fromEnvironment)
        }
        return lists.isEmpty ? "localhost:3370" : lists.joined(separator: ",")
    }
}
