import DepotClient
import DepotModel

/// `depot volume-definition …` (`vd`) (linstor-client `vlm_dfn_cmds.py`).
@MainActor
enum VolumeDefinitionCommands {
    static func make() -> CommandSpec {
        CommandSpec(
            group: "volume-definition",
            aliases: ["vd"],
            "Volume definition subcommands",
            [
                CommandSpec(
                    "create",
                    aliases: ["c"],
                    "Defines a volume with a capacity of size for use with linstor.",
                    options: [
                        OptionSpec(["--storage-pool", "-s"], .single, help: "Storage pool name to use."),
                        OptionSpec(["-n", "--vlmnr"], .single, help: "Volume number"),
                        OptionSpec(["-m", "--minor"], .single, help: "DRBD minor number"),
                        OptionSpec(
                            ["--encrypt"],
                            help: "DEPRECATED - use LUKS layer instead. Encrypt created volumes using cryptsetup."
                        ),
                        OptionSpec(["--gross"], help: "The given size is the gross size (including metadata)."),
                        OptionSpec(["--passphrase"], .optionalSingle, help: "User provided passphrase for the volume"),
                    ],
                    positionals: [
                        PositionalSpec("resource_definition_name", help: "Name of an existing resource"),
                        PositionalSpec(
                            "size",
                            help: "Size of the volume. Valid units: \(SizeSyntax.validUnits). The default unit is GiB."
                        ),
                    ],
                    action: Self.create
                ),
                CommandSpec(
                    "list",
                    aliases: ["l"],
                    "Prints a list of all volume definitions known to LINSTOR. By default, the list is printed as a human readable table.",
                    options: [
                        CommonOptions.pastable, CommonOptions.groupBy(DefinitionTables.volumeDefinitionHeaders),
                        OptionSpec(
                            ["-r", "--resource-definitions"],
                            .oneOrMore,
                            help: "Filter by list of resource definitions"
                        ),
                        OptionSpec(["-e", "--external-name"], help: "Show user specified name."),
                        CommonOptions.showProps,
                    ],
                    action: Self.list
                ),
                CommandSpec(
                    "delete",
                    aliases: ["d"],
                    "Removes a volume definition from the cluster, and removes it from all nodes.",
                    options: [CommonOptions.async],
                    positionals: [
                        PositionalSpec("resource_definition_name", help: "Name of the resource definition"),
                        PositionalSpec("volume_nr", help: "Volume number"),
                    ],
                    action: { invocation throws(CLIFailure) in
                        let number = try Self.volumeNumber(invocation.arguments, "volume_nr")
                        return try await invocation.reply(
                            .deleteVolumeDefinition(invocation.arguments.required("resource_definition_name"), number)
                        )
                    }
                ),
                CommandSpec(
                    "set-size",
                    aliases: ["size"],
                    "Change the size of a volume. Decreasing the size is only supported when the resource definition does not have any resource.",
                    options: [OptionSpec(["--gross"], help: "The given size is the gross size (including metadata).")],
                    positionals: [
                        PositionalSpec("resource_definition_name", help: "Name of the resource definition"),
                        PositionalSpec("volume_nr", help: "Volume number"),
                        PositionalSpec(
                            "size",
                            help:
                                "New size of the volume. Valid units: \(SizeSyntax.validUnits). The default unit is GiB."
                        ),
                    ],
                    action: Self.setSize
                ),
                CommandSpec(
                    "modify-passphrase",
                    aliases: ["mp"],
                    "Change the LUKS passphrase of a volume definition; every replica changes its key slot.",
                    positionals: [
                        PositionalSpec("resource_name", help: "Name of the resource definition"),
                        PositionalSpec("volume_nr", help: "Volume number"),
                        PositionalSpec("new_passphrase", .optional, help: "New passphrase (asked for without echo when not given)"),
                    ],
                    action: { invocation throws(CLIFailure) in
                        let arguments = invocation.arguments
                        let number = try Self.volumeNumber(arguments, "volume_nr")
                        let passphrase: String
                        if let given = arguments.string("new_passphrase") {
                            passphrase = given
                        } else {
                            passphrase = try Passphrase.prompt(twice: true, again: "Retype new passphrase: ")
                        }
                        return try await invocation.reply(.modifyVolumeDefinitionPassphrase(arguments.required("resource_name"), number, passphrase))
                    }
                ),
                CommandSpec(
                    "set-property",
                    aliases: ["sp"],
                    "Sets properties for the given volume definition.",
                    options: [CommonOptions.aux],
                    positionals: [
                        PositionalSpec("resource_definition_name", help: "Name of the resource definition"),
                        PositionalSpec("volume_nr", help: "Volume number"),
                    ] + CommonOptions.keyValue(.volumeDefinition),
                    action: { invocation throws(CLIFailure) in
                        let number = try Self.volumeNumber(invocation.arguments, "volume_nr")
                        return try await invocation.reply(
                            .modifyVolumeDefinition(
                                invocation.arguments.required("resource_definition_name"),
                                number,
                                invocation.propertyChangeBody()
                            )
                        )
                    }
                ),
                DRBDOptionCommands.command(
                    "drbd-options", aliases: ["opt"], "Set DRBD disk options of a volume definition.",
                    sections: [.disk, .peerDevice],
                    positionals: [PositionalSpec("resource", help: "Resource name"), PositionalSpec("volume_nr", help: "Volume number")],
                    request: { arguments, body throws(CLIFailure) in
                        .modifyVolumeDefinition(arguments.required("resource"), try VolumeDefinitionCommands.volumeNumber(arguments, "volume_nr"), body)
                    }),
                CommandSpec(
                    "list-properties",
                    aliases: ["lp"],
                    "Prints all properties of the given volume definition.",
                    options: [CommonOptions.pastable],
                    positionals: [
                        PositionalSpec("resource_definition_name", help: "Name of the resource definition"),
                        PositionalSpec("volume_nr", help: "Volume number"),
                    ],
                    action: { invocation throws(CLIFailure) in
                        let name = invocation.arguments.required("resource_definition_name")
                        let number = try Self.volumeNumber(invocation.arguments, "volume_nr")
                        let definitions = try await invocation.fetch(
                            .resourceDefinitions(names: [name], withVolumeDefinitions: true)
                        )
                        let volume = definitions.arrayValue.first?["volume_definitions"]?.arrayValue.first {
                            $0["volume_number"]?.int64Value == Int64(number)
                        }
                        return invocation.printProperties(volume?.props)
                    }
                ),
            ]
        )
    }

    static func volumeNumber(_ arguments: ParsedArguments, _ dest: String) throws(CLIFailure) -> Int {
        guard let number = Int(arguments.required(dest)) else {
            throw CLIFailure.usage("argument \(dest): invalid int value: '\(arguments.required(dest))'")
        }
        return number
    }

    /// A size argument in KiB; a bad size prints LINSTOR's message and exits 2.
    static func sizeKiB(_ text: String) throws(CLIFailure) -> Int64 {
        do {
            return try SizeSyntax.kibibytes(text)
        } catch {
            throw CLIFailure.message(error.message, exitCode: ExitCode.argumentError)
        }
    }

    static func create(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        let arguments = invocation.arguments
        let size = try Self.sizeKiB(arguments.required("size"))
        var flags: [String] = []
        if arguments.flag("encrypt") { flags.append("ENCRYPTED") }
        if arguments.flag("gross") { flags.append("GROSS_SIZE") }
        var definition: [(String, JSONValue)] = [("size_kib", .integer(size)), ("flags", .strings(flags))]
        if let number = try arguments.integer("vlmnr", option: "-n/--vlmnr") {
            definition.insert(("volume_number", .integer(Int64(number))), at: 1)
        }
        if let pool = arguments.string("storage_pool") {
            definition.append(("props", .stringMap([("StorPoolName", pool)])))
        }
        var body: [(String, JSONValue)] = [("volume_definition", .makeObject(definition))]
        if let minor = try arguments.integer("minor", option: "-m/--minor") {
            body.append(("drbd_minor_number", .integer(Int64(minor))))
        }
        switch arguments.values["passphrase"] {
        case .single(let passphrase): body.append(("passphrase", .string(passphrase)))
        case .bare: body.append(("passphrase", .string(try Passphrase.prompt(twice: true))))
        default: break
        }
        return try await invocation.reply(
            .createVolumeDefinition(arguments.required("resource_definition_name"), .makeObject(body))
        )
    }

    static func setSize(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        let arguments = invocation.arguments
        let number = try Self.volumeNumber(arguments, "volume_nr")
        var body: [(String, JSONValue)] = [("size_kib", .integer(try Self.sizeKiB(arguments.required("size"))))]
        if arguments.flag("gross") { body.append(("flags", .strings(["GROSS_SIZE"]))) }
        return try await invocation.reply(
            .modifyVolumeDefinition(arguments.required("resource_definition_name"), number, .makeObject(body))
        )
    }

    static func list(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        var invocation = invocation
        invocation.mergeConfig(section: "volume-definition.list")
        let arguments = invocation.arguments
        let table = invocation.makeTable()
        let request = RESTRequest.resourceDefinitions(
            names: arguments.strings("resource_definitions"),
            withVolumeDefinitions: true
        )
        return try await invocation.list(request, shape: .resourceDefinitions) { definitions in
            DefinitionTables.volumeDefinitions(
                definitions,
                table: table,
                groupBy: invocation.groupBy(default: "ResourceName"),
                showProps: invocation.showPropColumns(),
                showExternalName: arguments.flag("external_name")
            )
        }
    }
}
